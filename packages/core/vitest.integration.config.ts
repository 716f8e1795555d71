import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.integration.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // The suites start their own sshd instances and a lab; running them one at a time keeps
    // the shared machine responsive.
    fileParallelism: false,
  },
});
