import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Each suite migrates fresh databases with the Prisma CLI: a few seconds per database.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
