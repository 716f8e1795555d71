import { type ChildProcess, execFile, spawn } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import { promisify } from "node:util";
import { pollUntil } from "@corral/lab";
import type { Page } from "playwright-core";

const execFileAsync = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, "../..");
const admin = { name: "Bench Admin", email: "bench@example.test", password: "bench-password-1" };

export const baseUrl = (port: number) => `http://127.0.0.1:${port}`;

/**
 * Corral's production server (apps/web/server.js) on a fresh data directory, with the cluster of
 * `labJson` registered (packages/lab's lab.json shape) through the same operation as the page.
 */
export async function startServer(
  dataDir: string,
  labJson: string,
  port: number,
): Promise<ChildProcess> {
  const env = {
    ...process.env,
    CORRAL_DATA_DIR: dataDir,
    CORRAL_BASE_URL: baseUrl(port),
    NEXT_TELEMETRY_DISABLED: "1",
    CHECKPOINT_DISABLE: "1",
  };
  await execFileAsync("pnpm", ["--silent", "--filter", "@corral/db", "migrate"], {
    cwd: repoRoot,
    env,
  });
  await execFileAsync("pnpm", ["--silent", "--filter", "@corral/api", "register-lab", labJson], {
    cwd: repoRoot,
    env,
  });
  // Its own process group: Next may fork, and everything in it stops with it.
  const server = spawn("node", ["server.js", "-H", "127.0.0.1", "-p", String(port)], {
    cwd: path.join(repoRoot, "apps/web"),
    env,
    detached: true,
    stdio: ["ignore", "ignore", "inherit"],
  });
  const exited = once(server, "exit").then(([code, signal]) => {
    throw new Error(`server.js exited (${code ?? signal}) before it answered`);
  });
  try {
    await Promise.race([
      exited,
      pollUntil(
        `${baseUrl(port)}/api/health`,
        async () => ((await fetch(`${baseUrl(port)}/api/health`)).ok ? true : undefined),
        { timeoutMs: 120_000 },
      ),
    ]);
  } catch (error) {
    await stopServer(server);
    throw error;
  }
  return server;
}

/** SIGTERM to the server's process group; SIGKILL if it has not exited 10 s later. */
export async function stopServer(server: ChildProcess): Promise<void> {
  const { pid } = server;
  if (server.exitCode !== null || server.signalCode !== null || !pid) return;
  const exited = once(server, "exit");
  process.kill(-pid, "SIGTERM");
  const late = await Promise.race([
    exited.then(() => false),
    new Promise<boolean>((resolve) => setTimeout(resolve, 10_000, true).unref()),
  ]);
  if (late) {
    process.kill(-pid, "SIGKILL");
    await exited;
  }
}

/** The first admin through the first-run page of a fresh Corral; the page ends signed in. */
export async function createFirstAdmin(page: Page): Promise<void> {
  await page.goto("/sign-in");
  await page.getByTestId("first-admin-name").fill(admin.name);
  await page.getByTestId("first-admin-email").fill(admin.email);
  await page.getByTestId("first-admin-password").fill(admin.password);
  await page.getByTestId("first-admin-submit").click();
  await page.getByTestId("current-role").filter({ hasText: "admin" }).waitFor();
}
