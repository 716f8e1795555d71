import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Integration suites migrate fresh databases with the Prisma CLI: a few seconds each.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
