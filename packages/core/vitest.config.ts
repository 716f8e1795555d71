import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts"],
    exclude: ["src/**/*.integration.test.ts"],
    // Some unit tests spawn real tools (ssh-keygen for RSA keys, thousands of shells): on a
    // loaded two-core machine they need room beyond vitest's 5 s default.
    testTimeout: 30_000,
  },
});
