import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.integration.test.ts"],
    testTimeout: 180_000,
    hookTimeout: 300_000,
    // A lab takes most of the machine's two cores: one suite at a time.
    fileParallelism: false,
  },
});
