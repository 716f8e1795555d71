import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { expect } from "@playwright/test";

const repoRoot = path.resolve(import.meta.dirname, "../..");

/** A Corral server of a test's own, on the e2e database, so it can be killed by its PID. */
export function startServer(port: number): ChildProcess {
  return spawn("node", ["server.js", "-H", "127.0.0.1", "-p", String(port)], {
    cwd: path.join(repoRoot, "apps/web"),
    env: {
      ...process.env,
      CORRAL_DATA_DIR: process.env.CORRAL_E2E_DATA_DIR ?? path.join(repoRoot, ".run/e2e-data"),
      CORRAL_BASE_URL: `http://127.0.0.1:${port}`,
      CORRAL_LOGIN_ATTEMPTS_PER_MINUTE: "100",
      NEXT_TELEMETRY_DISABLED: "1",
    },
    stdio: "ignore",
  });
}

export async function waitForHealth(base: string) {
  await expect
    .poll(async () => (await fetch(`${base}/api/health`).catch(() => null))?.status ?? 0, {
      timeout: 60_000,
    })
    .toBe(200);
}
