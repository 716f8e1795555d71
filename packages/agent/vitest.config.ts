import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Each test starts the system python: on a loaded two-core machine that needs room beyond
    // vitest's 5 s default.
    testTimeout: 30_000,
  },
});
