import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { expect, type Page, test } from "@playwright/test";
import { lab, NEEDS_LAB, onLabNode } from "./lab.ts";
import { admin, signIn } from "./sign-in.ts";

// The onboarding wizard against the lab the registering story added (it runs before this file
// on the same server and database). scripts/test.sh starts the lab and names it in CORRAL_LAB_*.
test.describe.configure({ mode: "serial" });

const repoRoot = path.resolve(import.meta.dirname, "../..");
/** The lab guests print a line a second once userspace is up. */
const GUEST_UP = "^corral-guest .* n=1\\b";
const STEP_TIMEOUT = 240_000;

test.skip(!lab, NEEDS_LAB);

/** Nodes where the domain is active, as each node's own virsh says. */
async function nodesRunning(vm: string): Promise<string[]> {
  const running: string[] = [];
  for (const index of [1, 2, 3]) {
    const state = await onLabNode(index, `virsh domstate ${vm} 2>/dev/null || true`);
    if (state.trim() && state.trim() !== "shut off") running.push(`node${index}`);
  }
  return running;
}

async function openWizard(page: Page, vm: string) {
  await page.goto("/vms");
  await page
    .locator(`[data-testid=vm-card][data-vm="${vm}"]`)
    .getByTestId("action-onboard")
    .click();
}

async function chooseAndStart(page: Page) {
  await expect(page.getByTestId("choose-form")).toBeVisible();
  await page.getByTestId("input-alive-value").fill(GUEST_UP);
  await page.getByTestId("action-start-onboarding").click();
  await expect(page.getByTestId("onboarding-job")).toBeVisible();
}

async function runStep(page: Page, step: string, expected: "succeeded" | "failed" = "succeeded") {
  await page.getByTestId(`action-run-${step}`).click();
  await expect(page.getByTestId(`step-${step}`)).toHaveAttribute("data-state", expected, {
    timeout: STEP_TIMEOUT,
  });
}

test("web1: every step green, each node tested, the resource Started", async ({ page }) => {
  test.setTimeout(1_500_000);
  await signIn(page);
  await openWizard(page, "web1");
  await chooseAndStart(page);
  // Each step shows the exact commands before it runs.
  await expect(page.getByTestId("step-dump").getByTestId("step-commands")).toContainText(
    "dump-config",
  );
  for (const step of ["preflight", "dump", "distribute", "storage", "migration", "test"])
    await runStep(page, step);
  for (const node of ["node1", "node2", "node3"]) {
    await expect(page.getByTestId("step-test").getByTestId(`node-${node}`)).toHaveAttribute(
      "data-state",
      "succeeded",
    );
  }
  // Quoted by core's quoteArgv, the one module that turns argv into a shell string.
  await expect(page.getByTestId("pcs-preview")).toContainText(
    "'pcs' 'resource' 'create' 'web1' 'ocf:heartbeat:VirtualDomain' 'config=/etc/pacemaker/web1.xml'",
  );
  await expect(page.getByTestId("pcs-preview")).toContainText("'meta' 'allow-migrate=true'");
  await page.getByTestId("action-save-options").click();
  await expect(page.getByTestId("action-save-options")).toHaveText("Saved");
  await runStep(page, "create");
  await expect(page.getByTestId("onboarding-done")).toContainText(/Started on node\d/);

  await page.goto("/test-results");
  const row = page.locator('[data-testid=matrix-row][data-vm="web1"]');
  for (const node of ["node1", "node2", "node3"]) {
    await expect(row.getByTestId(`cell-${node}`)).toHaveAttribute("data-outcome", "pass");
  }
  await row.getByTestId("cell-node2").click();
  await expect(page.getByTestId("cell-output")).toContainText("virsh -c qemu:///system create");

  // Managed now: a re-test disables the resource (the warning names every command), tests each
  // node in turn and starts it again.
  await row.getByTestId("action-retest").click();
  const warning = row.getByTestId("retest-warning");
  await expect(warning).toContainText("Downtime");
  await expect(warning).toContainText("'pcs' 'resource' 'disable' 'web1' '--wait=180'");
  await expect(warning).toContainText("'pcs' 'resource' 'enable' 'web1' '--wait=180'");
  await row.getByTestId("confirm-retest").click();
  await expect(row.getByTestId("retest-progress")).toHaveAttribute("data-state", "running");
  await expect(row.getByTestId("retest-progress")).toHaveAttribute("data-state", "succeeded", {
    timeout: STEP_TIMEOUT * 2,
  });
  await expect(row.getByTestId("retest-progress")).toContainText(/Started on node\d again/);
  for (const node of ["node1", "node2", "node3"]) {
    await expect(row.getByTestId("retest-progress")).toContainText(`${node}: pass`);
    await expect(row.getByTestId(`cell-${node}`)).toHaveAttribute("data-outcome", "pass");
  }
  expect(await nodesRunning("web1")).toHaveLength(1);
});

test("db1 runs: the wizard shuts it down first, then preflight passes", async ({ page }) => {
  test.setTimeout(300_000);
  await signIn(page);
  await openWizard(page, "db1");
  await chooseAndStart(page);
  await runStep(page, "preflight", "failed");
  await expect(page.getByTestId("step-preflight").getByTestId("step-message")).toContainText(
    "running on node1",
  );
  await page.getByTestId("action-fix-shutdown").click();
  await expect(page.getByTestId("step-preflight")).toHaveAttribute("data-state", "succeeded", {
    timeout: STEP_TIMEOUT,
  });
  expect(await nodesRunning("db1")).toEqual([]);
});

test("local1: storage fails on node2 and node3; limited to node1 it proceeds", async ({ page }) => {
  test.setTimeout(300_000);
  await signIn(page);
  await openWizard(page, "local1");
  await chooseAndStart(page);
  for (const step of ["preflight", "dump", "distribute"]) await runStep(page, step);
  await runStep(page, "storage", "failed");
  const storage = page.getByTestId("step-storage");
  await expect(storage.getByTestId("node-node1")).toHaveAttribute("data-state", "succeeded");
  await expect(storage.getByTestId("node-node2")).toHaveAttribute("data-state", "failed");
  await expect(storage.getByTestId("node-node3")).toHaveAttribute("data-state", "failed");
  await expect(storage.getByTestId("step-message")).toContainText("node-local");
  await page.getByTestId("edit-allowed-node2").uncheck();
  await page.getByTestId("edit-allowed-node3").uncheck();
  await page.getByTestId("action-save-allowed-nodes").click();
  await expect(page.getByTestId("allowed-nodes")).toHaveText("node1");
  for (const step of ["distribute", "storage"]) await runStep(page, step);
});

/** A Corral server of this test's own, on the e2e database, so it can be killed by its PID. */
function startServer(port: number): ChildProcess {
  return spawn("node_modules/.bin/next", ["start", "-H", "127.0.0.1", "-p", String(port)], {
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

async function waitForHealth(base: string) {
  await expect
    .poll(async () => (await fetch(`${base}/api/health`).catch(() => null))?.status ?? 0, {
      timeout: 60_000,
    })
    .toBe(200);
}

test("app1: Corral killed mid-test comes back with the job interrupted and the VM on no node", async ({
  page,
}) => {
  test.setTimeout(900_000);
  const port = Number(process.env.CORRAL_E2E_PORT ?? 3100) + 1;
  const base = `http://127.0.0.1:${port}`;
  let server = startServer(port);
  try {
    await waitForHealth(base);
    await signIn(page, admin, base);
    await page.goto(`${base}/vms`);
    await page
      .locator('[data-testid=vm-card][data-vm="app1"]')
      .getByTestId("action-onboard")
      .click();
    await chooseAndStart(page);
    await runStep(page, "preflight", "failed");
    await expect(page.getByTestId("step-preflight").getByTestId("step-message")).toContainText(
      "Autostart is on",
    );
    await page.getByTestId("action-fix-autostart").click();
    await expect(page.getByTestId("step-preflight")).toHaveAttribute("data-state", "succeeded", {
      timeout: STEP_TIMEOUT,
    });
    for (const step of ["dump", "distribute", "storage", "migration"]) await runStep(page, step);
    const jobUrl = page.url();
    await page.getByTestId("action-run-test").click();
    await expect.poll(() => nodesRunning("app1"), { timeout: 120_000 }).toEqual(["node1"]);

    server.kill("SIGKILL");
    await expect.poll(() => nodesRunning("app1"), { timeout: 60_000 }).toEqual([]);

    server = startServer(port);
    await waitForHealth(base);
    // The session outlives the server: it is in the database.
    await page.goto(jobUrl);
    await expect(page.getByTestId("onboarding-job")).toHaveAttribute("data-state", "interrupted", {
      timeout: 60_000,
    });
    await expect(page.getByTestId("interruption-note")).toHaveText("app1 runs on no node.");
    expect(await nodesRunning("app1")).toEqual([]);
    await page.getByTestId("action-abandon").click();
    await expect(page.getByTestId("onboarding-job")).toHaveAttribute("data-state", "cancelled");
    // Abandoning loses nothing: the definition on node1 is still there.
    expect(await onLabNode(1, "virsh dominfo app1 | grep Persistent")).toContain("yes");
  } finally {
    server.kill("SIGKILL");
  }
});
