import path from "node:path";
import { defineConfig, devices } from "@playwright/test";
import { chromiumLaunchOptions } from "./chromium-launch.ts";

// The e2e runs against a production build (server.js) on a fresh SQLite database, in
// Debian's Chromium. Build first: `pnpm exec turbo run build --filter=@corral/web`.
const port = Number(process.env.CORRAL_E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${port}`;
const repoRoot = path.resolve(import.meta.dirname, "..");
// CORRAL_E2E_DATA_DIR lets two runs on one machine keep apart (the server empties it first).
const dataDir = process.env.CORRAL_E2E_DATA_DIR ?? path.join(repoRoot, ".run/e2e-data");

export default defineConfig({
  testDir: "tests",
  fullyParallel: false,
  workers: 1,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  outputDir: path.join(repoRoot, ".run/e2e-results"),
  use: {
    baseURL,
    // A failed story keeps its trace: every action with the DOM before and after it. The trace's
    // screencast is left out: it makes the browser paint and encode frames the whole run, about
    // as much CPU as the page itself on a 2-core machine. The failure's screenshot stays.
    trace: { mode: "retain-on-failure", screenshots: false, snapshots: true, sources: true },
    screenshot: "only-on-failure",
    launchOptions: chromiumLaunchOptions,
  },
  projects: [
    {
      name: "chromium",
      use: { ...devices["Desktop Chrome"], viewport: { width: 1366, height: 768 } },
    },
  ],
  webServer: {
    // A fresh data directory every run: the suite starts from an empty database (first run).
    command: `rm -rf ${dataDir} && pnpm --silent --filter @corral/db migrate >/dev/null && cd ${repoRoot}/apps/web && exec node server.js -H 127.0.0.1 -p ${port}`,
    url: `${baseURL}/api/health`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "ignore",
    stderr: "pipe",
    env: {
      CORRAL_DATA_DIR: dataDir,
      CORRAL_BASE_URL: baseURL,
      // The story signs in a dozen times within a minute from one address; the limit itself is
      // covered by packages/api's operators integration test.
      CORRAL_LOGIN_ATTEMPTS_PER_MINUTE: "100",
      NEXT_TELEMETRY_DISABLED: "1",
      CHECKPOINT_DISABLE: "1",
    },
  },
});
