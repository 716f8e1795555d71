import { expect, type Page, test } from "@playwright/test";
import { startServer, waitForHealth } from "./corral-server.ts";
import {
  definedOn,
  forgetNode3HostKey,
  guestUp,
  lab,
  NEEDS_LAB,
  onLabNode,
  restoreHostKeys,
  runningOn,
} from "./lab.ts";
import { admin, signIn } from "./sign-in.ts";

// The onboarding wizard against the lab the registering story added (it runs before this file
// on the same server and database). scripts/test.sh starts the lab and names it in CORRAL_LAB_*.
test.describe.configure({ mode: "serial" });

const STEP_TIMEOUT = 240_000;

test.skip(!lab, NEEDS_LAB);

async function openWizard(page: Page, vm: string) {
  await page.goto("/vms");
  await page
    .locator(`[data-testid=vm-card][data-vm="${vm}"]`)
    .getByTestId("action-onboard")
    .click();
}

/** The first form with what it proposes: an operator fills nothing in. */
async function chooseAndStart(page: Page) {
  await expect(page.getByTestId("choose-form")).toBeVisible();
  await page.getByTestId("action-start-onboarding").click();
  await expect(page.getByTestId("onboarding-job")).toBeVisible();
}

async function saveOptionsAndCreate(page: Page) {
  await page.getByTestId("action-save-options").click();
  await expect(page.getByTestId("action-save-options")).toHaveText("Saved");
  await runStep(page, "create");
  await expect(page.getByTestId("onboarding-done")).toContainText(/Started on node\d/);
}

async function runStep(page: Page, step: string, expected: "succeeded" | "failed" = "succeeded") {
  await page.getByTestId(`action-run-${step}`).click();
  await expect(page.getByTestId(`step-${step}`)).toHaveAttribute("data-state", expected, {
    timeout: STEP_TIMEOUT,
  });
}

test("web1 with the wizard's defaults: every step green, each node tested, Started and bound", async ({
  page,
}) => {
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
  // The migration check connected to the URI the agent will build from what is proposed.
  await expect(page.getByTestId("step-migration").getByTestId("step-message")).toContainText(
    "qemu+ssh://node2/system",
  );
  await expect(page.getByTestId("migration-proposal")).toContainText("migration_transport=ssh");
  // Shown by core's quoteArgv, the one module that turns argv into a shell string.
  const preview = page.getByTestId("pcs-preview");
  await expect(preview).toContainText(
    "pcs resource create web1 ocf:heartbeat:VirtualDomain config=/etc/pacemaker/web1.xml hypervisor=qemu:///system migration_transport=ssh",
  );
  await expect(preview).toContainText("meta allow-migrate=true --disabled");
  await expect(preview).toContainText(
    "pcs constraint location web1 rule constraint-id=corral-allowed-web1 score=-INFINITY '#uname' ne node1 and '#uname' ne node2 and '#uname' ne node3",
  );
  await expect(preview).toContainText("pcs resource enable web1");
  await expect(page.getByTestId("action-run-create")).toBeDisabled();
  await expect(page.getByTestId("create-needs-options")).toBeVisible();
  // Left and come back: the Onboard page lists the open onboarding and leads back to it.
  await page.goto("/onboard");
  const left = page.locator('[data-testid=open-onboarding][data-vm="web1"]');
  await expect(left).toContainText("waiting at 9. Create the resource");
  await left.getByRole("link").click();
  await expect(page.getByTestId("step-test")).toHaveAttribute("data-state", "succeeded");
  await saveOptionsAndCreate(page);
  // The cluster's own record: the resource with its options, bound to the allowed nodes, and
  // running on exactly one node with no definition left beside it.
  const config = await onLabNode(1, "pcs resource config web1");
  expect(config).toContain("hypervisor=qemu:///system");
  expect(config).toContain("migration_transport=ssh");
  expect(await onLabNode(1, "pcs constraint location config --full")).toContain(
    "corral-allowed-web1",
  );
  expect(await runningOn("web1")).toHaveLength(1);
  expect(await definedOn("web1")).toEqual([]);

  await page.goto("/test-results");
  const row = page.locator('[data-testid=matrix-row][data-vm="web1"]');
  for (const node of ["node1", "node2", "node3"]) {
    await expect(row.getByTestId(`cell-${node}`)).toHaveAttribute("data-outcome", "pass");
  }
  await row.getByTestId("cell-node2").click();
  await expect(page.getByTestId("cell-output")).toContainText("virsh -c qemu:///system create");

  // Managed now: a re-test disables the resource (the warning names every command), tests each
  // node in turn and starts it again.
  await guestUp("web1");
  await row.getByTestId("action-retest").click();
  const warning = row.getByTestId("retest-warning");
  await expect(warning).toContainText("Downtime");
  await expect(warning).toContainText("pcs resource disable web1 --wait=180");
  await expect(warning).toContainText("pcs resource enable web1 --wait=180");
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
  expect(await runningOn("web1")).toHaveLength(1);
});

test("bad input is refused before any step runs, saying why", async ({ page }) => {
  await signIn(page);
  await page.goto("/vms");
  const href = await page
    .locator('[data-testid=vm-card][data-vm="db1"]')
    .getByTestId("action-onboard")
    .getAttribute("href");
  const cluster = new URL(href ?? "", "http://x").searchParams.get("cluster") ?? "";
  // The Onboard address of a VM Pacemaker manages: refused, and web1 keeps running.
  const before = await runningOn("web1");
  await page.goto(`/onboard?cluster=${encodeURIComponent(cluster)}&vm=web1`);
  await page.getByTestId("action-start-onboarding").click();
  await expect(page.getByTestId("error")).toContainText(
    "web1 is already managed by Pacemaker as resource web1",
  );
  expect(await runningOn("web1")).toEqual(before);
  await page.goto(`/onboard?cluster=${encodeURIComponent(cluster)}&vm=nosuchvm`);
  await page.getByTestId("action-start-onboarding").click();
  await expect(page.getByTestId("error")).toContainText("knows a VM named nosuchvm");
  // A config path the agent would expand unquoted never reaches a node.
  await openWizard(page, "db1");
  await page.getByTestId("input-config-path").fill("/etc/pacemaker/db 1.xml");
  await page.getByTestId("action-start-onboarding").click();
  await expect(page.getByTestId("choose-form")).toContainText("expands this path unquoted");
  await expect(page.getByTestId("onboarding-job")).toHaveCount(0);
});

test("db1: shut down on confirmation; with node1 unable to reach node3 the wizard says live migration would fail, and create needs the operator's acceptance", async ({
  page,
}) => {
  test.setTimeout(900_000);
  await signIn(page);
  await openWizard(page, "db1");
  await chooseAndStart(page);
  await runStep(page, "preflight", "failed");
  await expect(page.getByTestId("step-preflight").getByTestId("step-message")).toContainText(
    "running on node1",
  );
  // Nothing is shut down before the confirmation that says what it stops.
  await page.getByTestId("action-fix-shutdown").click();
  await expect(page.getByTestId("shutdown-dialog")).toContainText("db1 runs on node1");
  expect(await runningOn("db1")).toEqual(["node1"]);
  await page.getByTestId("confirm-shutdown").click();
  await expect(page.getByTestId("step-preflight")).toHaveAttribute("data-state", "succeeded", {
    timeout: STEP_TIMEOUT,
  });
  expect(await runningOn("db1")).toEqual([]);
  for (const step of ["dump", "distribute", "storage"]) await runStep(page, step);
  // node1 and node2 no longer know node3's host key: ssh to it fails, as migrate_to would.
  await forgetNode3HostKey();
  try {
    await runStep(page, "migration", "failed");
    const migration = page.getByTestId("step-migration");
    await expect(migration.getByTestId("step-message")).toContainText("node1 -> node3");
    await expect(migration.getByTestId("node-node1")).toContainText(
      "cannot connect to qemu+ssh://node3/system",
    );
    await page.getByTestId("action-accept-restart").click();
    await page.getByTestId("confirm-accept-restart").click();
    await expect(migration).toHaveAttribute("data-state", "succeeded", {
      timeout: STEP_TIMEOUT,
    });
    // The watch probes web1's live-migration paths (made by the first story, allow-migrate):
    // Needs attention says who rejects node3's key, as node1's own ssh says it.
    expect(
      await onLabNode(1, "virsh --connect qemu+ssh://node3/system --quiet uri 2>&1 || true"),
    ).toContain("Host key verification failed");
    const attention = await page.context().newPage();
    await attention.goto("/attention");
    const hostKey = attention.locator('[data-testid=finding][data-kind="host-key-changed"]');
    await expect(hostKey).toHaveAttribute("data-node", "node3");
    await expect(hostKey).toContainText("node1, node2 no longer accept node3's ssh host key");
    await attention.goto("/clusters");
    await expect(attention.getByTestId("migration-paths")).toContainText(
      "node1 → node3, node2 → node3",
    );
    await restoreHostKeys();
    await expect(attention.getByTestId("migration-paths")).toContainText(
      "paths between allowed nodes answer",
      {
        timeout: 30_000,
      },
    );
    await attention.goto("/attention");
    await expect(hostKey).toHaveCount(0);
    await attention.close();
  } finally {
    await restoreHostKeys();
  }
  await runStep(page, "test");
  // Proposed off; turned on, it needs the acceptance that those moves stop and start db1.
  await expect(page.getByTestId("input-allow-migrate")).not.toBeChecked();
  await page.getByTestId("input-allow-migrate").check();
  await expect(page.getByTestId("option-issues")).toContainText("accept that those moves");
  await expect(page.getByTestId("action-save-options")).toBeDisabled();
  await page.getByTestId("input-accept-restart-moves").check();
  await saveOptionsAndCreate(page);
  expect(await runningOn("db1")).toHaveLength(1);
  // The create step tests the chosen options again: the acceptance carried it (now restored).
});

test("local1: storage fails on node2 and node3; limited to node1 it is created bound to node1", async ({
  page,
}) => {
  test.setTimeout(600_000);
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
  for (const step of ["distribute", "storage", "migration", "test"]) await runStep(page, step);
  // One node: nothing to migrate to, so no live migration either.
  await page.getByTestId("input-allow-migrate").uncheck();
  await expect(page.getByTestId("pcs-preview")).toContainText(
    "rule constraint-id=corral-allowed-local1 score=-INFINITY '#uname' ne node1",
  );
  await saveOptionsAndCreate(page);
  expect(await runningOn("local1")).toEqual(["node1"]);
  // local1's own block of the constraints: one rule, node1 alone.
  const local1 = (await onLabNode(1, "pcs constraint location config --full"))
    .split(/\n(?= {2}Resource: )/)
    .find((block) => block.includes("Resource: local1"));
  expect(local1).toContain("corral-allowed-local1");
  expect(local1).toContain("#uname ne node1");
  expect(local1).not.toContain("#uname ne node2");
});

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
    await expect.poll(() => runningOn("app1"), { timeout: 120_000 }).toEqual(["node1"]);

    server.kill("SIGKILL");
    await expect.poll(() => runningOn("app1"), { timeout: 60_000 }).toEqual([]);

    server = startServer(port);
    await waitForHealth(base);
    // The session outlives the server: it is in the database.
    await page.goto(jobUrl);
    await expect(page.getByTestId("onboarding-job")).toHaveAttribute("data-state", "interrupted", {
      timeout: 60_000,
    });
    await expect(page.getByTestId("interruption-note")).toHaveText("app1 runs on no node.");
    expect(await runningOn("app1")).toEqual([]);
    // Abandoning shows what it removes (the config it wrote on each node) before the click.
    const configs = async () =>
      Promise.all(
        [1, 2, 3].map((i) =>
          onLabNode(i, "test -e /etc/pacemaker/app1.xml && echo yes || echo no"),
        ),
      );
    expect((await configs()).map((s) => s.trim())).toEqual(["yes", "yes", "yes"]);
    await page.getByTestId("action-abandon").click();
    const plan = page.getByTestId("abandon-plan");
    for (const node of ["node1", "node2", "node3"])
      await expect(plan).toContainText(`/etc/pacemaker/app1.xml on ${node}`);
    await page.getByTestId("confirm-abandon").click();
    await expect(page.getByTestId("onboarding-job")).toHaveAttribute("data-state", "cancelled", {
      timeout: 60_000,
    });
    expect((await configs()).map((s) => s.trim())).toEqual(["no", "no", "no"]);
    // What it did not write stays: the definition on node1.
    expect(await definedOn("app1")).toEqual(["node1"]);
  } finally {
    server.kill("SIGKILL");
  }
});
