import { readFile } from "node:fs/promises";
import {
  type SmtpSink,
  startSmtpSink,
  startWebhookReceiver,
  type WebhookReceiver,
} from "@corral/lab/receivers";
import { expect, type Locator, type Page, test } from "@playwright/test";
import { startServer, waitForHealth } from "./corral-server.ts";
import {
  bootsOf,
  failedOperations,
  forgetNode3HostKey,
  lab,
  labRun,
  lastGuestLine,
  NEEDS_LAB,
  onLabNode,
  restoreHostKeys,
  runningOn,
} from "./lab.ts";
import { admin, signIn } from "./sign-in.ts";

// Live migration and the resource actions on VM cards, on the resources the onboarding story
// made through the wizard (web1 on every node, db1 accepted without live migration to node3,
// local1 bound to node1): nothing here types pcs to prepare a resource. Each outcome is checked
// against the cluster's own record: every node's virsh, crm_mon, the guest's serial log.
test.describe.configure({ mode: "serial" });

test.skip(!lab, NEEDS_LAB);

/** Long enough for the pcs commands that wait for the cluster (--wait=180) and for a reset. */
const LAB_TIMEOUT = 300_000;
const indexOf = (name: string) => lab?.nodes.find((n) => n.name === name)?.index ?? 0;
const onNode = (name: string, command: string) => onLabNode(indexOf(name), command, LAB_TIMEOUT);

async function openVmsPage(page: Page) {
  await signIn(page);
  await page.getByTestId("nav-vms").click();
}

const card = (page: Page, vm: string): Locator =>
  page.locator(`[data-testid=vm-card][data-vm="${vm}"]`);

/** Pacemaker's view on the live card: role and node. */
async function expectStartedOn(page: Page, vm: string, node: string) {
  await expect(card(page, vm).getByTestId("vm-resource-role")).toHaveText(`Started on ${node}`, {
    timeout: 90_000,
  });
}

async function migrate(page: Page, vm: string, target: string) {
  const vmCard = card(page, vm);
  await vmCard.getByTestId("action-migrate").click();
  const dialog = vmCard.getByTestId("migrate-dialog");
  await dialog.locator(`[data-testid=migrate-target][data-node="${target}"] input`).check();
  await expect(dialog.getByTestId("confirm-command")).toHaveText(
    `pcs resource move ${vm} ${target}`,
  );
  await dialog.getByTestId("action-confirm-migrate").click();
  return vmCard.getByTestId("migration");
}

/** Clear on the card's move or ban pin, confirmed with its command, until the pin is gone. */
async function clearPins(vmCard: Locator, vm: string) {
  await vmCard.getByTestId("action-clear-leftover").click();
  const confirm = vmCard.getByTestId("confirm-dialog");
  await expect(confirm.getByTestId("confirm-command")).toHaveText(`pcs resource clear ${vm}`);
  await confirm.getByTestId("action-confirm").click();
  await expect(confirm.getByTestId("action-result")).toBeVisible({ timeout: 60_000 });
  await confirm.getByTestId("confirm-close").click();
  await expect(vmCard.getByTestId("vm-leftover-constraint")).toBeHidden({ timeout: 30_000 });
}

/** Unstandby of node1, confirmed; local1, which may run only there, starts there again. */
async function takeNode1Back(page: Page) {
  await page.locator('[data-testid=action-node-unstandby][data-node="node1"]').click();
  await page.getByTestId("confirm-dialog").getByTestId("action-confirm").click();
  await expect(page.getByTestId("confirm-dialog").getByTestId("action-result")).toBeVisible({
    timeout: 240_000,
  });
  await page.getByTestId("confirm-dialog").getByTestId("confirm-close").click();
  await expect.poll(() => runningOn("local1"), { timeout: 120_000 }).toEqual(["node1"]);
}

/**
 * The guest's boots once it is seen alive: a line written after this call (it writes one every
 * second), so a guest still booting after a previous story's restart is counted as booted.
 */
async function currentBoots(vm: string): Promise<string[]> {
  const before = lastGuestLine(vm);
  await expect.poll(() => lastGuestLine(vm), { timeout: 60_000 }).not.toEqual(before);
  return bootsOf(vm);
}

test.afterAll(async () => {
  test.setTimeout(300_000);
  await restoreHostKeys();
  await labRun(["reset"], LAB_TIMEOUT);
});

test("web1, made by the wizard, live-migrates to another node and back: same boot, no failed migrate_to, Corral says live", async ({
  page,
}) => {
  test.setTimeout(900_000);
  await openVmsPage(page);
  const [home = ""] = await runningOn("web1");
  await expectStartedOn(page, "web1", home);
  const other = home === "node2" ? "node1" : "node2";
  const boots = await currentBoots("web1");
  for (const target of [other, home]) {
    const migration = await migrate(page, "web1", target);
    const result = migration.getByTestId("migration-result");
    // The result names this target: a previous migration's panel cannot pass for it.
    await expect(result).toContainText(`Migrated live: started on ${target}`, {
      timeout: 240_000,
    });
    await expect(result).toHaveAttribute("data-result", "succeeded");
    await expectStartedOn(page, "web1", target);
    expect(await runningOn("web1")).toEqual([target]);
    // libvirt on the target took a migrated domain, not a booted one.
    expect(await onNode(target, "virsh domstate --reason web1")).toContain("(migrated)");
  }
  // The guest's own record: the same boot all along, never a restart.
  expect(bootsOf("web1")).toEqual(boots);
  // Pacemaker's record: no failed migrate_to or migrate_from.
  expect(await failedOperations("web1")).toEqual([]);
  const history = card(page, "web1").getByTestId("vm-history");
  await history.locator("summary").click();
  // The two newest entries are these moves (Pacemaker's own moves may be older entries).
  const rows = history.getByTestId("history-row");
  for (const row of [rows.nth(0), rows.nth(1)]) {
    await expect(row).toHaveAttribute("data-result", "succeeded");
    await expect(row).toContainText("live");
    await expect(row).toContainText("ada@example.test");
  }
});

test("db1, where migration to node3 cannot work, is moved there: Pacemaker restarts it and Corral records a restart", async ({
  page,
}) => {
  test.setTimeout(600_000);
  await openVmsPage(page);
  let [from = ""] = await runningOn("db1");
  if (from === "node3") {
    // node3 reaches the others: move it off node3 first, live.
    const away = await migrate(page, "db1", "node1");
    await expect(away.getByTestId("migration-result")).toHaveAttribute("data-result", "succeeded", {
      timeout: 240_000,
    });
    from = "node1";
  }
  const boots = await currentBoots("db1");
  // As during its onboarding: node1 and node2 cannot reach node3 over ssh.
  await forgetNode3HostKey();
  const migration = await migrate(page, "db1", "node3");
  const result = migration.getByTestId("migration-result");
  await expect(result).toHaveAttribute("data-result", "restarted", { timeout: 240_000 });
  await expect(result).toContainText(`migrate_to failed on ${from}`);
  expect(await runningOn("db1")).toEqual(["node3"]);
  // Pacemaker recorded the failed migrate_to, and the guest booted again.
  expect(await failedOperations("db1")).toContain(`db1_migrate_to_0 on ${from}`);
  await expect.poll(() => bootsOf("db1").length, { timeout: 60_000 }).toBe(boots.length + 1);
  const history = card(page, "db1").getByTestId("vm-history");
  await history.locator("summary").click();
  await expect(history.getByTestId("history-row").first()).toHaveAttribute(
    "data-result",
    "restarted",
  );
  await expect(history.getByTestId("history-row").first()).toContainText("restarted (not live)");
  await restoreHostKeys();
});

test("a second copy of web1 started by hand raises the alarm on the card and on every page, until it is gone", async ({
  page,
}) => {
  test.setTimeout(300_000);
  await openVmsPage(page);
  const [home = ""] = await runningOn("web1");
  const other = home === "node3" ? "node2" : "node3";
  await onNode(other, "virsh create /etc/pacemaker/web1.xml");
  try {
    const banner = page.getByTestId("alarm-banner");
    await expect(banner.locator('[data-testid=alarm][data-vm="web1"]')).toHaveAttribute(
      "data-kind",
      "double-run",
    );
    await expect(banner).toContainText(`web1 runs on`);
    const alarm = card(page, "web1").getByTestId("vm-alarm");
    await expect(alarm).toContainText(`ssh ${other} virsh destroy --domain web1`);
    // On every page, not only the VMs page.
    await page.getByTestId("nav-test-results").click();
    await expect(page.getByTestId("alarm-banner")).toContainText("web1 runs on");
  } finally {
    await onNode(other, "virsh destroy web1");
  }
  await expect(page.getByTestId("alarm-banner")).toHaveCount(0);
  expect(await runningOn("web1")).toEqual([home]);
  await page.getByTestId("nav-command-log").click();
  await expect(page.getByTestId("command-log-table")).toContainText(
    /finding\.opened findingId=\S+ kind=double-run/,
  );
});

test("cancelling web1's live migration while memory transfers leaves it on exactly one node, as Pacemaker says", async ({
  page,
}) => {
  test.setTimeout(600_000);
  await openVmsPage(page);
  const [home = ""] = await runningOn("web1");
  const target = home === "node2" ? "node1" : "node2";
  // A slow migration network (2 MiB/s): the transfer lasts long enough to cancel.
  await onNode(home, "virsh migrate-setspeed --domain web1 --bandwidth 2");
  const migration = await migrate(page, "web1", target);
  await migration.getByTestId("action-cancel-migration").click({ timeout: 120_000 });
  // Confirmed first, saying what happens.
  await expect(migration.getByTestId("cancel-dialog")).toContainText("exactly one node");
  await migration.getByTestId("confirm-cancel-migration").click();
  const result = migration.getByTestId("migration-result");
  await expect(result).toHaveAttribute("data-result", "cancelled", { timeout: 240_000 });
  const where = await runningOn("web1");
  expect(where).toHaveLength(1);
  await expect(result).toContainText(`runs on ${where[0]} only`);
  await expectStartedOn(page, "web1", where[0] ?? "");
  // The move constraint went only after that: nothing pins web1 now.
  expect(await onNode("node1", "pcs constraint location config --full")).not.toContain(
    "cli-prefer-web1",
  );
  await onNode(where[0] ?? "", "virsh migrate-setspeed --domain web1 --bandwidth 0 || true");
  // Pacemaker's failed migrate_to stays on the card until a cleanup.
  await expect(card(page, "web1").getByTestId("vm-failed-actions")).toContainText("migrate_to");
  await card(page, "web1").getByTestId("action-vm-cleanup").click();
  await card(page, "web1").getByTestId("confirm-dialog").getByTestId("action-confirm").click();
  await expect(card(page, "web1").getByTestId("vm-failed-actions")).toHaveCount(0, {
    timeout: 60_000,
  });
});

test("a node without the shared storage is greyed out, naming what is missing", async ({
  page,
}) => {
  expect(await runningOn("web1")).not.toContain("node3");
  // The share not mounted on node3: each lab node mounts /srv/shared privately, so the tmpfs
  // hides it from node3 only. Mounted before the page loads, so the card reads it fresh.
  await onNode("node3", "mount -t tmpfs none /srv/shared");
  try {
    await openVmsPage(page);
    const web1 = card(page, "web1");
    await web1.getByTestId("action-migrate").click();
    const dialog = web1.getByTestId("migrate-dialog");
    const target = (node: string) =>
      dialog.locator(`[data-testid=migrate-target][data-node="${node}"]`);
    await expect(target("node3")).toHaveAttribute("data-allowed", "no");
    await expect(target("node3")).toContainText(
      "storage missing: /srv/shared/boot/vmlinux (kernel): does not exist; +2 more",
    );
    const [home] = await runningOn("web1");
    await expect(target(home === "node1" ? "node2" : "node1")).toHaveAttribute(
      "data-allowed",
      "yes",
    );
  } finally {
    await onNode("node3", "umount /srv/shared");
  }
});

test("local1, bound to node1 without allow-migrate, offers only a stop-and-start move, with every other node greyed out", async ({
  page,
}) => {
  await openVmsPage(page);
  const local1 = card(page, "local1");
  await expect(local1.getByTestId("vm-allow-migrate")).toContainText("allow-migrate=false");
  await expect(local1.getByTestId("vm-allowed-nodes")).toContainText(
    "node1 (constraint corral-allowed-local1)",
  );
  await expect(local1.getByTestId("action-migrate")).toHaveText("Move (stop and start)");
  await local1.getByTestId("action-migrate").click();
  await expect(local1.getByTestId("downtime-warning")).toContainText("down");
  const target = (node: string) =>
    local1.locator(`[data-testid=migrate-target][data-node="${node}"]`);
  await expect(target("node1")).toContainText("the VM runs here");
  for (const node of ["node2", "node3"]) {
    await expect(target(node)).toHaveAttribute("data-allowed", "no");
    await expect(target(node)).toContainText("not an allowed node (allowed: node1)");
  }
});

/** Opens the card's allowed-nodes dialog, ticks `nodes` exactly, reviews and confirms. */
async function changeAllowedNodes(page: Page, vm: string, nodes: string[], expectInPlan: string) {
  const vmCard = card(page, vm);
  await vmCard.getByTestId("action-allowed-nodes").click();
  const dialog = vmCard.getByTestId("allowed-nodes-dialog");
  for (const node of ["node1", "node2", "node3"]) {
    await dialog.getByTestId(`allowed-node-${node}`).setChecked(nodes.includes(node));
  }
  await dialog.getByTestId("allowed-nodes-review").click();
  await expect(dialog.getByTestId("allowed-nodes-plan")).toContainText(expectInPlan, {
    timeout: 60_000,
  });
  await dialog.getByTestId("allowed-nodes-confirm").click();
  return dialog.getByTestId("retest-progress");
}

/** Corral's allowed-nodes constraints of `vm` as the CIB holds them: id -> allowed nodes. */
async function allowedConstraints(vm: string): Promise<Record<string, string[]>> {
  const xml = await onNode("node1", "cibadmin --query --scope constraints");
  const found: Record<string, string[]> = {};
  for (const match of xml.matchAll(
    new RegExp(
      `<rsc_location id="(corral-allowed-${vm}[^"]*)" rsc="${vm}">([\\s\\S]*?)</rsc_location>`,
      "g",
    ),
  )) {
    found[match[1] ?? ""] = [...(match[2] ?? "").matchAll(/value="([^"]+)"/g)].map(
      (m) => m[1] ?? "",
    );
  }
  return found;
}

test("allowed nodes change from the card: local1 on node2, where its disk is missing, fails the test and changes nothing; web1 leaves node3, then is tested there before it may return", async ({
  page,
}) => {
  test.setTimeout(600_000);
  await openVmsPage(page);
  // local1's disk is on node1 only: the test on node2 fails, the constraint stays as it was and
  // local1 is started on node1 again.
  const failed = await changeAllowedNodes(page, "local1", ["node1", "node2"], "Downtime");
  await expect(failed).toHaveAttribute("data-state", "failed", { timeout: 300_000 });
  await expect(failed).toContainText(
    "The allowed nodes of local1 are unchanged (node1): the start/stop test failed on node2",
  );
  await expect(failed).toContainText("node2: fail");
  expect(await allowedConstraints("local1")).toEqual({ "corral-allowed-local1": ["node1"] });
  await expect.poll(() => runningOn("local1"), { timeout: 120_000 }).toEqual(["node1"]);
  await expectStartedOn(page, "local1", "node1");

  // web1 may no longer run on node3: no test, one new constraint, the old one gone, and
  // Pacemaker has it on an allowed node.
  const removed = await changeAllowedNodes(
    page,
    "web1",
    ["node1", "node2"],
    "No longer allowed: node3",
  );
  await expect(removed).toHaveAttribute("data-state", "succeeded", { timeout: 240_000 });
  await expect(removed).toContainText("Allowed on node1, node2; web1 runs on node");
  expect(await allowedConstraints("web1")).toEqual({
    "corral-allowed-web1-gen2": ["node1", "node2"],
  });
  const [after = ""] = await runningOn("web1");
  expect(["node1", "node2"]).toContain(after);
  expect(await runningOn("web1")).toHaveLength(1);
  await expect(card(page, "web1").getByTestId("vm-allowed-nodes")).toHaveText(
    "node1, node2 (constraint corral-allowed-web1-gen2)",
  );
  await card(page, "web1")
    .getByTestId("allowed-nodes-dialog")
    .getByRole("button", { name: "Close" })
    .click();

  // node3 back: tested first (the guest boots there), then bound.
  const boots = await currentBoots("web1");
  const added = await changeAllowedNodes(page, "web1", ["node1", "node2", "node3"], "Downtime");
  await expect(added).toHaveAttribute("data-state", "succeeded", { timeout: 400_000 });
  await expect(added).toContainText("node3: pass");
  expect(await allowedConstraints("web1")).toEqual({
    "corral-allowed-web1-gen3": ["node1", "node2", "node3"],
  });
  expect(await runningOn("web1")).toHaveLength(1);
  // The guest's record: a boot for the test on node3 and one when Pacemaker started it again.
  await expect
    .poll(() => bootsOf("web1").length, { timeout: 60_000 })
    .toBeGreaterThan(boots.length);
});

test("a VM at resource-stickiness 0 is flagged: pacemaker may move it to rebalance", async ({
  page,
}) => {
  await openVmsPage(page);
  // The lab's resource defaults say 1, as pcs cluster setup writes them.
  await expect(card(page, "local1").getByTestId("vm-resource-role")).toContainText("Started");
  await expect(card(page, "local1").getByTestId("vm-stickiness-warning")).toHaveCount(0);
  await onNode("node1", "pcs resource meta local1 resource-stickiness=0");
  try {
    await expect(card(page, "local1").getByTestId("vm-stickiness-warning")).toContainText(
      "resource-stickiness is 0",
    );
    await expect(card(page, "web1").getByTestId("vm-stickiness-warning")).toHaveCount(0);
  } finally {
    await onNode("node1", "pcs resource meta local1 resource-stickiness=");
  }
  await expect(card(page, "local1").getByTestId("vm-stickiness-warning")).toHaveCount(0);
});

test("the Live migrate picker checks the picked node before the click, as Pacemaker's scheduler would: clear for a healthy node; web1 at resource-stickiness 0 preferring its node would move back, and pcs then refuses; a node whose capacity is too small would not take it", async ({
  page,
}) => {
  test.setTimeout(300_000);
  await openVmsPage(page);
  const [home = ""] = await runningOn("web1");
  await expectStartedOn(page, "web1", home);
  const [other = "", small = ""] = (lab?.nodes ?? [])
    .map((node) => node.name)
    .filter((name) => name !== home);
  const web1 = card(page, "web1");
  const pick = async (target: string) => {
    await web1.getByTestId("action-migrate").click();
    const dialog = web1.getByTestId("migrate-dialog");
    await dialog.locator(`[data-testid=migrate-target][data-node="${target}"] input`).check();
    return dialog;
  };
  const warning = (dialog: Locator, kind: string) =>
    dialog.locator(`[data-testid=precheck-warning][data-kind="${kind}"]`);

  let dialog = await pick(other);
  await expect(dialog.getByTestId("move-precheck-clear")).toBeVisible({ timeout: 30_000 });
  // web1 migrated live in the first story: Pacemaker's record of it times the memory copy.
  await expect(dialog.getByTestId("move-estimate")).toContainText(
    /Copying web1's memory takes about \d+ s at the \d+ MiB\/s of the last \d+ live migrations?/,
  );
  await dialog.getByTestId("action-cancel-migrate").click();

  // What pulls web1 home, set by hand as an operator might have.
  await onNode(
    home,
    `pcs resource meta web1 resource-stickiness=0 && pcs constraint location web1 prefers ${home}=100`,
  );
  try {
    dialog = await pick(other);
    await expect(warning(dialog, "moves-back")).toContainText(`back to ${home}`, {
      timeout: 30_000,
    });
    // Clicked anyway: pcs refuses, as the pre-check said, and web1 stays where it ran.
    await dialog.getByTestId("action-confirm-migrate").click();
    const result = web1.getByTestId("migration").getByTestId("migration-result");
    await expect(result).toHaveAttribute("data-result", "failed", { timeout: 120_000 });
    await expect(result).toContainText("will stay on the same node");
    expect(await runningOn("web1")).toEqual([home]);
  } finally {
    await onNode(
      home,
      `pcs constraint location remove location-web1-${home}-100; pcs resource meta web1 resource-stickiness=`,
    );
  }

  // Node capacity under a utilization placement strategy: every node offers what the lab's
  // VirtualDomain resources ask (cpu, hv_memory, host_memory); web1 also asks memory=96, which
  // the small node lacks. The strategy is set last and unset first.
  const capacity = (name: string) =>
    `pcs node utilization ${name} cpu=64 hv_memory=8192 host_memory=8192 memory=${name === small ? 64 : 4096}`;
  await onNode(
    home,
    [
      ...(lab?.nodes ?? []).map((node) => capacity(node.name)),
      "pcs resource utilization web1 memory=96",
      "pcs property set placement-strategy=utilization",
    ].join(" && "),
  );
  try {
    dialog = await pick(small);
    await expect(warning(dialog, "not-placed")).toContainText(
      `Pacemaker would not run web1 on ${small}`,
      { timeout: 30_000 },
    );
    await dialog.getByTestId("action-cancel-migrate").click();
    expect(await runningOn("web1")).toEqual([home]);
  } finally {
    await onNode(
      home,
      [
        "pcs property unset placement-strategy",
        "pcs resource utilization web1 memory=",
        ...(lab?.nodes ?? []).map(
          (node) => `pcs node utilization ${node.name} cpu= hv_memory= host_memory= memory=`,
        ),
      ].join("; "),
    );
  }
});

test("standby of node1 names local1, which no other node may run; forced, the drain's record says where each VM went and how, as Pacemaker and the guests' serial logs say, and once node1 is back Bring back moves web1 and db1 home", async ({
  page,
}) => {
  test.setTimeout(600_000);
  await openVmsPage(page);
  // Every VM on node1 for this test, so the standby has something to move away.
  for (const vm of ["web1", "db1"]) {
    if ((await runningOn(vm))[0] === "node1") continue;
    const moved = await migrate(page, vm, "node1");
    await expect(moved.getByTestId("migration-result")).toHaveAttribute(
      "data-result",
      "succeeded",
      {
        timeout: 240_000,
      },
    );
  }
  await page.locator('[data-testid=action-node-standby][data-node="node1"]').click();
  const confirm = page.getByTestId("confirm-dialog");
  await expect(confirm.getByTestId("confirm-command")).toHaveText(
    "pcs node standby node1 --wait=180",
  );
  // Pacemaker's own scheduler, asked before the click (crm_simulate on a copy of the CIB).
  await expect(
    confirm.locator('[data-testid=standby-plan-stop][data-resource="local1"]'),
  ).toHaveText("local1 stops (node availability)", { timeout: 30_000 });
  await expect(
    confirm.locator('[data-testid=standby-plan-move][data-resource="web1"]'),
  ).toContainText("live migration");
  await expect(confirm.getByTestId("standby-strands")).toContainText(
    "No other node can take local1",
  );
  await expect(confirm.getByTestId("action-confirm")).toBeDisabled();
  await confirm.getByTestId("input-standby-stop-consent").check();
  const bootsBefore = { web1: await currentBoots("web1"), db1: await currentBoots("db1") };
  await confirm.getByTestId("action-confirm").click();
  await expect(confirm.getByTestId("action-error")).toContainText(
    "node1 is in standby, but local1 is now stopped",
    { timeout: 240_000 },
  );
  await expect(confirm.getByTestId("action-result")).toHaveCount(0);
  expect(await runningOn("local1")).toEqual([]);
  await confirm.getByTestId("confirm-close").click();

  // The drain's record, beside what the nodes and the guests say.
  const drain = page.locator('[data-testid=evacuation][data-node="node1"]');
  await expect(drain).toHaveAttribute("data-state", "drained");
  const evacuated = (vm: string) =>
    drain.locator(`[data-testid=evacuated-vm][data-resource="${vm}"]`);
  await expect(evacuated("local1")).toHaveAttribute("data-how", "stopped");
  for (const vm of ["web1", "db1"] as const) {
    await expect(card(page, vm).getByTestId("vm-resource-role")).not.toContainText("node1");
    const where = await runningOn(vm);
    expect(where).toHaveLength(1);
    expect(where).not.toContain("node1");
    await expect(evacuated(vm)).toHaveAttribute("data-to", where[0] ?? "");
    // Live exactly when the guest did not boot again.
    const rebooted = (await currentBoots(vm)).length > bootsBefore[vm].length;
    await expect(evacuated(vm)).toHaveAttribute("data-how", rebooted ? "restarted" : "live");
  }
  expect((await onNode("node1", "virsh list --name")).trim()).toBe("");
  await expect(drain.getByTestId("evacuation-safe")).toHaveAttribute("data-safe", "true");
  await expect(drain.getByTestId("return-home-later")).toBeVisible();

  await takeNode1Back(page);

  // node1 is back: Bring back moves web1 and db1 home, one at a time, each on its card.
  const bootsAway = { web1: await currentBoots("web1"), db1: await currentBoots("db1") };
  for (const vm of ["web1", "db1"]) {
    await expect(drain.getByTestId("action-return-home")).toContainText(vm);
  }
  await drain.getByTestId("action-return-home").click();
  await expect(drain.getByTestId("return-home-started")).toBeVisible();
  for (const vm of ["web1", "db1"] as const) {
    await expectStartedOn(page, vm, "node1");
    await expect.poll(() => runningOn(vm), { timeout: 240_000 }).toEqual(["node1"]);
    // Both have allow-migrate: back live, the same boot.
    expect(await currentBoots(vm)).toEqual(bootsAway[vm]);
  }
  // Everything home: the drain is no longer shown.
  await expect(drain).toHaveCount(0, { timeout: 30_000 });
});

test("a drain as the operator chose it: db1 held first, then web1 stopped and started on the scheduler's node, one at a time; Pacemaker, every node's virsh and the serial logs agree with the record, and Bring back starts db1 and brings web1 home live", async ({
  page,
}) => {
  test.setTimeout(600_000);
  await openVmsPage(page);
  for (const vm of ["web1", "db1"]) {
    await expect.poll(() => runningOn(vm), { timeout: 120_000 }).toEqual(["node1"]);
  }
  await page.locator('[data-testid=action-node-standby][data-node="node1"]').click();
  const confirm = page.getByTestId("confirm-dialog");
  const choice = (vm: string) =>
    confirm.locator(`[data-testid=drain-choice][data-resource="${vm}"]`);
  // The scheduler's plan is the first choice: live where it would migrate, in its order.
  await expect(choice("web1").getByTestId("input-drain-strategy")).toHaveValue("live", {
    timeout: 30_000,
  });
  await choice("web1").getByTestId("input-drain-strategy").selectOption("restart");
  await choice("db1").getByTestId("input-drain-strategy").selectOption("hold");
  if ((await confirm.getByTestId("drain-choice").first().getAttribute("data-resource")) !== "db1")
    await choice("db1").getByTestId("action-drain-earlier").click();
  await expect(confirm.getByTestId("drain-choice").first()).toHaveAttribute("data-resource", "db1");
  await confirm.getByTestId("input-drain-concurrency").selectOption("1");
  const planned = (
    (await confirm
      .locator('[data-testid=standby-plan-move][data-resource="web1"]')
      .textContent()) ?? ""
  ).match(/→ (\S+)/)?.[1];
  expect(planned).toMatch(/^node[23]$/);
  await confirm.getByTestId("input-standby-stop-consent").check();
  const bootsBefore = { web1: await currentBoots("web1"), db1: await currentBoots("db1") };
  await confirm.getByTestId("action-confirm").click();
  // While it runs, node1's panel says where Pacemaker has each of its VMs.
  await expect(
    page
      .locator('[data-testid=evacuation][data-node="node1"]')
      .locator('[data-testid=evacuating-vm][data-resource="web1"]'),
  ).toBeVisible({ timeout: 30_000 });
  // local1 may run nowhere else: the standby stops it, as the operator agreed.
  await expect(confirm.getByTestId("action-error")).toContainText(
    "node1 is in standby, but local1 is now stopped",
    { timeout: 300_000 },
  );
  await confirm.getByTestId("confirm-close").click();

  const drain = page.locator('[data-testid=evacuation][data-node="node1"]');
  const evacuated = (vm: string) =>
    drain.locator(`[data-testid=evacuated-vm][data-resource="${vm}"]`);
  await expect(drain).toHaveAttribute("data-state", "drained");
  // db1: held, disabled in the CIB, running on no node.
  await expect(evacuated("db1")).toHaveAttribute("data-how", "held");
  expect(await runningOn("db1")).toEqual([]);
  expect(
    (
      await onNode("node2", "crm_resource --resource db1 --meta --get-parameter target-role")
    ).trim(),
  ).toBe("Stopped");
  // web1: stopped and started where the scheduler planned, its guest booted again.
  expect(await runningOn("web1")).toEqual([planned]);
  await expect(evacuated("web1")).toHaveAttribute("data-how", "restarted");
  await expect(evacuated("web1")).toHaveAttribute("data-to", planned ?? "");
  await expect
    .poll(() => bootsOf("web1").length, { timeout: 60_000 })
    .toBe(bootsBefore.web1.length + 1);
  await expectStartedOn(page, "web1", planned ?? "");
  // The moves' constraints went once the standby was in place; node1 runs nothing.
  const constraints = await onNode("node2", "cibadmin --query --scope constraints");
  expect(constraints).not.toContain("cli-prefer-web1");
  expect((await onNode("node1", "virsh list --name")).trim()).toBe("");
  await expect(drain.getByTestId("evacuation-safe")).toHaveAttribute("data-safe", "true");

  await takeNode1Back(page);
  // Held, db1 stays stopped until Bring back.
  expect(await runningOn("db1")).toEqual([]);

  const web1Away = await currentBoots("web1");
  await expect(drain.getByTestId("action-return-home")).toContainText("db1");
  await expect(drain.getByTestId("action-return-home")).toContainText("web1");
  await drain.getByTestId("action-return-home").click();
  await expect(drain.getByTestId("return-home-started")).toBeVisible();
  for (const vm of ["db1", "web1"] as const) {
    await expectStartedOn(page, vm, "node1");
    await expect.poll(() => runningOn(vm), { timeout: 240_000 }).toEqual(["node1"]);
  }
  expect(await currentBoots("web1")).toEqual(web1Away);
  expect(
    await onNode("node2", "crm_resource --resource db1 --meta --get-parameter target-role || true"),
  ).not.toContain("Stopped");
  await expect(drain).toHaveCount(0, { timeout: 30_000 });
});

/** Stops libvirtd on a node and waits until the process is gone. */
const KILL_LIBVIRTD =
  "pid=$(cat /run/libvirtd.pid) && kill $pid && while kill -0 $pid 2>/dev/null; do sleep 0.1; done";
/** Starts libvirtd on a node where it was killed and waits until virsh reaches it (up to 10 s). */
const START_LIBVIRTD =
  "libvirtd -d && for _ in $(seq 50); do virsh list >/dev/null 2>&1 && exit 0; sleep 0.2; done; exit 1";

test("a node whose libvirt does not answer is ruled out in the Live migrate picker, even once picked; libvirtd killed as Migrate is clicked fails the migration visibly; after libvirtd is back and a cleanup the VM runs on one node", async ({
  page,
}) => {
  test.setTimeout(400_000);
  await openVmsPage(page);
  const [from] = await runningOn("web1");
  const target = (lab?.nodes ?? []).map((n) => n.name).find((n) => n !== from) ?? "";
  const web1 = card(page, "web1");
  const dialog = web1.getByTestId("migrate-dialog");
  const targetRow = dialog.locator(`[data-testid=migrate-target][data-node="${target}"]`);
  const result = web1.getByTestId("migration").getByTestId("migration-result");
  try {
    // Picked, then libvirt stops answering there: Corral's watch hears it and the picker rules
    // the node out with the reason; Migrate waits for another pick.
    await web1.getByTestId("action-migrate").click();
    await targetRow.locator("input").check();
    await onNode(target, KILL_LIBVIRTD);
    await expect(targetRow).toHaveAttribute("data-allowed", "no", { timeout: 30_000 });
    await expect(targetRow).toContainText("libvirt does not answer here");
    await expect(dialog.getByTestId("target-ruled-out")).toContainText(
      `${target} can no longer take web1`,
    );
    await expect(dialog.getByTestId("action-confirm-migrate")).toBeDisabled();
    await dialog.getByTestId("action-cancel-migrate").click();
    await onNode(target, START_LIBVIRTD);
    await web1.getByTestId("action-migrate").click();
    await expect(targetRow).toHaveAttribute("data-allowed", "yes", { timeout: 30_000 });
    await targetRow.locator("input").check();
    // libvirtd dies as the operator clicks, after every check and before Pacemaker's migrate_to
    // (pcs alone takes a second to start): migrate_to fails.
    await Promise.all([
      onNode(target, KILL_LIBVIRTD),
      dialog.getByTestId("action-confirm-migrate").click(),
    ]);
    await expect(result).toHaveAttribute("data-result", "failed", { timeout: 150_000 });
    await expect(result).toContainText(`Moving web1 to ${target} failed`);
    // Pacemaker may fail to stop it on a node without libvirtd (with fencing off the resource
    // is then blocked): the card is red or amber, never calm.
    await expect(web1.getByTestId("vm-resource-role")).toHaveAttribute(
      "data-health",
      /failed|warning/,
    );
    await expect(web1.getByTestId("vm-failed-actions")).toContainText("migrate_to");
    // Pacemaker's own record of it.
    expect(await onNode(from ?? "node1", "crm_mon --one-shot --output-as=xml")).toMatch(
      /<failure op_key="web1_migrate_to_0"/,
    );
  } finally {
    // Started again (and answering) before every node is asked where the VM runs.
    await onNode(target, `virsh list >/dev/null 2>&1 || (${START_LIBVIRTD})`);
  }
  // Never on two nodes, asked once every node's libvirt answers again.
  expect((await runningOn("web1")).length).toBeLessThanOrEqual(1);
  // pcs left its constraint: the card shows it with a Clear action. Clear before the cleanup,
  // or the cleaned-up resource would head for the target again.
  await expect(web1.getByTestId("vm-leftover-constraint")).toContainText("cli-prefer-web1");
  await clearPins(web1, "web1");
  await web1.getByTestId("action-vm-cleanup").click();
  await web1.getByTestId("confirm-dialog").getByTestId("action-confirm").click();
  await expect(web1.getByTestId("confirm-dialog").getByTestId("action-result")).toBeVisible({
    timeout: 60_000,
  });
  await expect.poll(() => runningOn("web1"), { timeout: 120_000 }).toHaveLength(1);
  await expect(web1.getByTestId("vm-resource-role")).toHaveAttribute("data-health", "ok", {
    timeout: 30_000,
  });
});

test("web1's resource options: a meta change keeps it running, an agent option change says first that it restarts", async ({
  page,
}) => {
  test.setTimeout(300_000);
  await openVmsPage(page);
  const web1 = card(page, "web1");
  const options = web1.getByTestId("resource-definition");
  await options.locator("summary").click();
  await expect(
    options.locator('[data-testid=resource-param][data-name="migration_transport"]'),
  ).toContainText("ssh");
  const [home] = await runningOn("web1");
  const boots = await currentBoots("web1");
  await options.getByTestId("action-change-resource").click();
  const dialog = options.getByTestId("change-resource-dialog");
  await dialog.getByTestId("input-change-kind").selectOption("meta");
  await dialog.getByTestId("input-change-name").fill("resource-stickiness");
  await dialog.getByTestId("input-change-value").fill("2");
  await dialog.getByTestId("action-review-change").click();
  await expect(dialog.getByTestId("confirm-command")).toHaveText(
    "pcs resource meta web1 resource-stickiness=2",
  );
  await expect(dialog.getByTestId("change-no-restart")).toBeVisible();
  await dialog.getByTestId("confirm-change-resource").click();
  await expect(dialog.getByTestId("change-result")).toBeVisible({ timeout: 60_000 });
  expect(await onNode("node1", "pcs resource config web1")).toContain("resource-stickiness=2");
  // An agent option: the review says Pacemaker restarts it; nothing runs without the confirm.
  await dialog.getByTestId("input-change-kind").selectOption("params");
  await dialog.getByTestId("input-change-name").fill("migration_speed");
  await dialog.getByTestId("input-change-value").fill("200");
  await dialog.getByTestId("action-review-change").click();
  await expect(dialog.getByTestId("change-restarts")).toContainText("restarts web1");
  expect(await onNode("node1", "pcs resource config web1")).not.toContain("migration_speed");
  expect(await runningOn("web1")).toEqual([home]);
  expect(bootsOf("web1")).toEqual(boots);
  await onNode("node1", "pcs resource meta web1 resource-stickiness=");
});

/** The resource's own is-managed meta attribute in the CIB (pcs resource manage removes it). */
const isManaged = (resource: string) =>
  onNode("node1", `crm_resource --resource ${resource} --meta --get-parameter is-managed 2>&1`);

/** crm_mon's XML line for a resource, from node1: role, managed, where. */
async function crmMonResource(resource: string): Promise<string> {
  const xml = await onNode("node1", "crm_mon --one-shot --output-as=xml");
  return xml.split("\n").find((line) => line.includes(`<resource id="${resource}"`)) ?? "";
}

test("day two from the UI: maintenance mode and an unmanaged VM show on Needs attention as Pacemaker records them, resolve when undone and stay in the history; fencing disabled is set aside with a reason", async ({
  page,
}) => {
  test.setTimeout(300_000);
  await openVmsPage(page);
  const maintenanceMode = () =>
    onNode("node1", "crm_attribute --type crm_config --name maintenance-mode --query --quiet");
  const runClusterAction = async (action: string, command: string) => {
    await page.getByTestId(`action-cluster-${action}`).click();
    const confirm = page.getByTestId("confirm-dialog");
    await expect(confirm.getByTestId("confirm-command")).toHaveText(command);
    await confirm.getByTestId("action-confirm").click();
    await expect(confirm.getByTestId("action-result")).toBeVisible({ timeout: 60_000 });
    await confirm.getByTestId("confirm-close").click();
  };
  const runVmAction = async (vm: string, action: string, command: string) => {
    await card(page, vm).getByTestId(`action-vm-${action}`).click();
    const confirm = card(page, vm).getByTestId("confirm-dialog");
    await expect(confirm.getByTestId("confirm-command")).toHaveText(command);
    await confirm.getByTestId("action-confirm").click();
    await expect(confirm.getByTestId("action-result")).toBeVisible({ timeout: 60_000 });
    await confirm.getByTestId("confirm-close").click();
  };

  await runClusterAction("maintenance-on", "pcs property set maintenance-mode=true");
  expect((await maintenanceMode()).trim()).toBe("true");
  await expect(page.getByTestId("maintenance-reminder")).toBeVisible();
  // crm_mon shows every resource unmanaged in maintenance mode: the button follows the CIB's
  // own is-managed attribute.
  await runVmAction("local1", "unmanage", "pcs resource unmanage local1");
  expect((await isManaged("local1")).trim()).toBe("false");
  expect(await crmMonResource("local1")).toContain('managed="false"');
  // The VM keeps running where it was: unmanaged means left alone.
  expect(await runningOn("local1")).toEqual(["node1"]);

  await page.getByTestId("nav-attention").click();
  const finding = (kind: string) => page.locator(`[data-testid=finding][data-kind="${kind}"]`);
  await expect(finding("maintenance-mode")).toContainText("is in maintenance mode", {
    timeout: 30_000,
  });
  await expect(finding("maintenance-mode").getByTestId("finding-fix")).toHaveText(
    "pcs property set maintenance-mode=false",
  );
  await expect(finding("unmanaged")).toHaveAttribute("data-vm", "local1");
  await expect(finding("unmanaged").getByTestId("finding-fix")).toHaveText(
    "pcs resource manage local1",
  );
  // Worst first: the critical fencing finding above the warnings.
  await expect(page.getByTestId("finding").first()).toHaveAttribute("data-severity", "critical");
  await expect(page.getByTestId("findings-banner")).toContainText("is in maintenance mode");
  await expect(page.getByTestId("findings-banner")).toContainText("Fencing is disabled");

  const fencing = finding("fencing-disabled");
  await fencing.getByTestId("finding-acknowledge").click();
  await fencing.getByTestId("acknowledge-submit").click();
  await expect(fencing.getByTestId("acknowledge-form")).toContainText("Say why");
  await fencing.getByTestId("acknowledge-reason").fill("lab cluster: no fence device by design");
  await fencing.getByTestId("acknowledge-submit").click();
  await expect(fencing.getByTestId("finding-acknowledged")).toContainText(
    "Acknowledged by ada@example.test",
  );
  await expect(fencing.getByTestId("finding-acknowledged")).toContainText(
    "no fence device by design",
  );
  await expect(page.getByTestId("findings-banner")).not.toContainText("Fencing is disabled");

  await page.getByTestId("nav-vms").click();
  await runVmAction("local1", "manage", "pcs resource manage local1");
  expect(await isManaged("local1")).toContain("Attribute 'is-managed' not found");
  // Maintenance mode ends from its own finding: the one-click fix, confirmed with its exact
  // command and what to know first. The finding leaves once the watch reads the CIB.
  await page.getByTestId("nav-attention").click();
  const maintenance = finding("maintenance-mode");
  await maintenance.getByTestId("finding-fix-action").click();
  const fix = maintenance.getByTestId("finding-fix-dialog");
  await expect(fix.getByTestId("confirm-command")).toHaveText(
    "pcs property set maintenance-mode=false",
  );
  await expect(fix).toContainText("Pacemaker acts on every resource again");
  await fix.getByTestId("finding-fix-confirm").click();
  await expect(maintenance).toHaveCount(0, { timeout: 60_000 });
  expect((await maintenanceMode()).trim()).toBe("false");
  await expect.poll(() => crmMonResource("local1")).toContain('managed="true"');
  await page.getByTestId("nav-vms").click();
  await expect(page.getByTestId("maintenance-reminder")).toHaveCount(0);

  await page.getByTestId("nav-attention").click();
  await expect(finding("maintenance-mode")).toHaveCount(0, { timeout: 30_000 });
  await expect(finding("unmanaged")).toHaveCount(0);
  await page.getByTestId("findings-tab-resolved").click();
  await expect(finding("maintenance-mode").first()).toContainText("resolved");
  await expect(
    page.locator('[data-testid=finding][data-kind="unmanaged"][data-vm="local1"]').first(),
  ).toContainText("resolved");
  await expect.poll(() => runningOn("local1")).toEqual(["node1"]);

  // local1's timeline: the operator's actions and the watch's findings on one axis, exported.
  await page.getByTestId("nav-vms").click();
  await card(page, "local1").getByTestId("vm-timeline-link").click();
  const events = page.getByTestId("timeline-event");
  await expect(events.filter({ hasText: "vm.unmanage" })).toHaveAttribute("data-kind", "operator");
  await expect(events.filter({ hasText: "vm.manage" })).toContainText("ada@example.test");
  await expect(events.filter({ hasText: "finding.opened unmanaged" })).toHaveAttribute(
    "data-kind",
    "watch",
  );
  await expect(events.filter({ hasText: "finding.resolved unmanaged" })).toHaveCount(1);
  const download = page.waitForEvent("download");
  await page.getByTestId("timeline-export-csv").click();
  const csv = await readFile((await (await download).path()) ?? "", "utf8");
  expect(csv.split(/\r?\n/)[0]).toBe("at,kind,who,vm,node,what,ok");
  expect(csv).toContain("vm.unmanage");
});

/** The node web1 runs on, as every node's virsh says, and another node of the lab. */
async function web1AndAnotherNode(): Promise<{ home: string | undefined; other: string }> {
  const [home] = await runningOn("web1");
  return { home, other: ["node1", "node2", "node3"].find((node) => node !== home) ?? "node2" };
}

test("autostart set by hand on a node where web1 does not run: Needs attention turns it off in one click, as that node's libvirt then says", async ({
  page,
}) => {
  test.setTimeout(300_000);
  const { home, other } = await web1AndAnotherNode();
  const onOther = (command: string) => onNode(other, command);
  // The hazard, made by hand as a hurried admin would: web1 defined there, with autostart.
  await onOther("virsh define /etc/pacemaker/web1.xml >/dev/null && virsh autostart web1");
  const ofWeb1 = (kind: string) =>
    page.locator(`[data-testid=finding][data-kind="${kind}"][data-vm="web1"]`);
  try {
    await openVmsPage(page);
    await page.getByTestId("nav-attention").click();
    const autostart = ofWeb1("autostart-on");
    await expect(autostart).toHaveAttribute("data-node", other, { timeout: 30_000 });
    await autostart.getByTestId("finding-fix-action").click();
    const fix = autostart.getByTestId("finding-fix-dialog");
    await expect(fix.getByTestId("confirm-command")).toHaveText(
      `${other}: virsh autostart --disable --domain web1`,
    );
    await fix.getByTestId("finding-fix-confirm").click();
    await expect(autostart).toHaveCount(0, { timeout: 60_000 });
    expect(await onOther("virsh dominfo web1")).toMatch(/Autostart:\s+disable/);
    // The definition left there is a finding of its own, with the commands to run by hand.
    await expect(ofWeb1("persistent-definition")).toBeVisible();
    await expect(ofWeb1("persistent-definition").getByTestId("finding-fix-action")).toHaveCount(0);
  } finally {
    await onOther("virsh autostart --disable web1; virsh undefine web1 || true");
  }
  await expect(ofWeb1("persistent-definition")).toHaveCount(0, { timeout: 30_000 });
  expect(await runningOn("web1")).toEqual([home]);
});

/**
 * From Settings, as the admin: a signed webhook channel to `hook`, an email channel to `smtp`
 * (plain SMTP), each sent a test that its receiver takes; then one rule sending `kinds` to both.
 */
async function notifyReceivers(
  page: Page,
  receivers: { hook: WebhookReceiver; smtp: SmtpSink; secret: string },
  kinds: string[],
) {
  const { hook, smtp, secret } = receivers;
  await page.getByTestId("nav-settings").click();
  await page.getByTestId("link-notifications").click();
  const channels = page.getByTestId("notification-channels");
  const addChannel = async (name: string, fill: () => Promise<void>) => {
    await channels.getByTestId("action-add-channel").click();
    await channels.getByTestId("input-channel-name").fill(name);
    await fill();
    await channels.getByTestId("action-save-channel").click();
    const row = channels.locator(`[data-testid=notification-channel][data-name="${name}"]`);
    await row.getByTestId("action-test-channel").click();
    await expect(row.getByTestId("delivery-result")).toHaveAttribute("data-state", "delivered", {
      timeout: 30_000,
    });
  };
  await addChannel("on-call hook", async () => {
    await channels.getByTestId("input-channel-url").fill(hook.url);
    await channels.getByTestId("input-channel-secret").fill(secret);
  });
  expect(hook.received).toHaveLength(1);
  expect(hook.received[0]?.signatureValid).toBe(true);
  await addChannel("on-call mail", async () => {
    await channels.getByTestId("input-channel-type").selectOption("email");
    await channels.getByTestId("input-channel-host").fill(smtp.host);
    await channels.getByTestId("input-channel-port").fill(String(smtp.port));
    await channels.getByTestId("input-channel-security").selectOption("none");
    await channels.getByTestId("input-channel-from").fill("corral@example.test");
    await channels.getByTestId("input-channel-to").fill("oncall@example.test");
  });
  expect(smtp.received).toHaveLength(1);
  expect(smtp.received[0]?.raw).toContain("Subject: [Corral] Test message");

  const rules = page.getByTestId("notification-rules");
  await rules.getByTestId("action-add-rule").click();
  await rules.getByTestId("input-rule-name").fill("hazards on the nodes");
  for (const channel of ["on-call hook", "on-call mail"]) {
    await rules.getByTestId("input-rule-channels").getByLabel(channel).check();
  }
  for (const kind of kinds) {
    await rules.getByTestId("input-rule-kinds").getByLabel(kind, { exact: true }).check();
  }
  await rules.getByTestId("action-save-rule").click();
  await expect(
    rules.locator('[data-testid=notification-rule][data-name="hazards on the nodes"]'),
  ).toBeVisible();
}

/** The webhooks `hook` took for `kind` and `event` (finding.opened or finding.resolved). */
const hooksOf = (hook: WebhookReceiver, kind: string, event: string) =>
  hook.received.filter(
    (message) =>
      message.json.event === event &&
      (message.json.finding as { kind?: string } | undefined)?.kind === kind,
  );

test("hazards made by hand on the nodes show on Needs attention with their fix, reach the on-call webhook and mailbox once when they open and once when they resolve: web1's config removed on a node, a persistent definition left there, libvirtd killed there, a ban left by pcs, node3's host key changed, maintenance mode", async ({
  page,
}) => {
  test.setTimeout(420_000);
  const { home, other } = await web1AndAnotherNode();
  const on = (node: string, command: string) => () => onNode(node, command);
  const hazards = [
    {
      kind: "config-missing",
      vm: "web1",
      node: other,
      make: on(other, "mv /etc/pacemaker/web1.xml /root/web1.xml.saved"),
      fix: on(other, "mv /root/web1.xml.saved /etc/pacemaker/web1.xml"),
      says: `/etc/pacemaker/web1.xml is missing on ${other}`,
    },
    {
      kind: "persistent-definition",
      vm: "web1",
      node: "",
      make: on(other, "virsh define /etc/pacemaker/web1.xml >/dev/null"),
      fix: on(other, "virsh undefine web1"),
      says: `web1 is still defined (persistent) on ${other}`,
    },
    {
      kind: "libvirtd-down",
      vm: "",
      node: other,
      make: on(other, "kill $(cat /run/libvirtd.pid)"),
      fix: on(
        other,
        "libvirtd -d && for _ in $(seq 50); do virsh list >/dev/null 2>&1 && exit 0; sleep 0.2; done; exit 1",
      ),
      says: `libvirt does not answer on ${other}`,
    },
    {
      kind: "stale-constraint",
      vm: "web1",
      node: other,
      make: on("node1", `pcs resource ban web1 ${other}`),
      fix: on("node1", "pcs resource clear web1"),
      says: `cli-ban-web1-on-${other} bans web1 from ${other}`,
    },
    {
      kind: "host-key-changed",
      vm: "",
      node: "node3",
      make: forgetNode3HostKey,
      fix: restoreHostKeys,
      says: "node1, node2 no longer accept node3's ssh host key",
    },
    {
      kind: "maintenance-mode",
      vm: "",
      node: "",
      make: on("node1", "pcs property set maintenance-mode=true"),
      fix: on("node1", "pcs property set maintenance-mode=false"),
      says: "e2e is in maintenance mode",
    },
  ];
  const secret = "e2e-on-call-secret";
  const hook = await startWebhookReceiver(secret);
  const smtp = await startSmtpSink();
  try {
    await openVmsPage(page);
    await notifyReceivers(
      page,
      { hook, smtp, secret },
      hazards.map((hazard) => hazard.kind),
    );
    await page.getByTestId("nav-attention").click();
    for (const hazard of hazards) {
      const found = page.locator(
        `[data-testid=finding][data-kind="${hazard.kind}"][data-node="${hazard.node}"][data-vm="${hazard.vm}"]`,
      );
      const mailed = smtp.received.length;
      await hazard.make();
      try {
        await expect(found.getByTestId("finding-summary")).toContainText(hazard.says, {
          timeout: 30_000,
        });
        await expect(found.getByTestId("finding-fix")).not.toBeEmpty();
        await expect.poll(() => hooksOf(hook, hazard.kind, "finding.opened").length).toBe(1);
        expect(hooksOf(hook, hazard.kind, "finding.opened")[0]?.signatureValid).toBe(true);
        await expect.poll(() => smtp.received.length).toBe(mailed + 1);
        expect(smtp.received.at(-1)?.raw).toContain(`${hazard.kind} on`);
      } finally {
        await hazard.fix();
      }
      await expect(found).toHaveCount(0, { timeout: 30_000 });
      await expect.poll(() => hooksOf(hook, hazard.kind, "finding.resolved").length).toBe(1);
      await expect.poll(() => smtp.received.length).toBe(mailed + 2);
      expect(smtp.received.at(-1)?.raw).toContain(`Subject: [Corral] RESOLVED ${hazard.kind}`);
    }
    // No storm: the two tests, then one message as each hazard opened and one as it resolved.
    await page.waitForTimeout(3_000);
    expect(hook.received).toHaveLength(1 + 2 * hazards.length);
    expect(smtp.received).toHaveLength(1 + 2 * hazards.length);
  } finally {
    await Promise.all([hook.close(), smtp.close()]);
  }
  // None of it moved web1.
  expect(await runningOn("web1")).toEqual([home]);
});

test("deleting local1's resource gives the VM back to libvirt, defined on node1, no copy left running", async ({
  page,
}) => {
  test.setTimeout(300_000);
  await openVmsPage(page);
  const local1 = card(page, "local1");
  const options = local1.getByTestId("resource-definition");
  await options.locator("summary").click();
  await options.getByTestId("action-delete-resource").click();
  const dialog = options.getByTestId("delete-resource-dialog");
  await dialog.getByTestId("input-define-on").selectOption("node1");
  await dialog.getByTestId("action-review-delete").click();
  const plan = dialog.getByTestId("delete-plan");
  await expect(plan).toContainText("pcs resource disable local1 --wait=180");
  await expect(plan).toContainText("pcs resource delete local1");
  await expect(plan).toContainText(
    "On node1:virsh --connect qemu:///system define /etc/pacemaker/local1.xml",
  );
  await dialog.getByTestId("confirm-delete-resource").click();
  // Once Pacemaker no longer manages it the card is an unmanaged VM's (the dialog goes with it).
  await expect(card(page, "local1")).toHaveAttribute("data-managed", "no", { timeout: 240_000 });
  // The cluster's record: no resource, no constraint; libvirt's: defined on node1, running nowhere.
  expect(await onNode("node1", "pcs resource status local1 2>&1 || true")).toMatch(
    /not found|does not exist|Error/i,
  );
  expect(await onNode("node1", "pcs constraint location config --full")).not.toContain("local1");
  expect(await runningOn("local1")).toEqual([]);
  await expect
    .poll(() => onNode("node1", "virsh domstate local1"), { timeout: 60_000 })
    .toContain("shut off");
});

test("web1 moved with its constraint kept for an hour stays pinned by a constraint that expires, as pcs shows; Clear on the card removes it and web1 stays", async ({
  page,
}) => {
  test.setTimeout(300_000);
  await openVmsPage(page);
  const [from] = await runningOn("web1");
  const target = ["node1", "node2", "node3"].find((node) => node !== from) ?? "";
  const web1 = card(page, "web1");
  await web1.getByTestId("action-migrate").click();
  const dialog = web1.getByTestId("migrate-dialog");
  await dialog.locator(`[data-testid=migrate-target][data-node="${target}"] input`).check();
  await dialog.getByTestId("input-move-constraint").selectOption("PT1H");
  await expect(dialog.getByTestId("confirm-command")).toHaveText(
    `pcs resource move-with-constraint web1 ${target} lifetime=PT1H --wait=180`,
  );
  await dialog.getByTestId("action-confirm-migrate").click();
  const migration = web1.getByTestId("migration");
  await expect(migration.getByTestId("migration-result")).toHaveAttribute(
    "data-result",
    "succeeded",
    { timeout: 240_000 },
  );
  await expect(migration.getByTestId("migration-kept-constraint")).toContainText(
    `cli-prefer-web1 keeps web1 on ${target} for 1 hour`,
  );
  expect(await runningOn("web1")).toEqual([target]);
  // Pacemaker's record: the constraint prefers the target, with an end date.
  const pinned = await onNode("node1", "cibadmin --query --scope constraints");
  expect(pinned).toMatch(/<rsc_location id="cli-prefer-web1"[^>]*rsc="web1"/);
  expect(pinned).toMatch(/<date_expression[^>]*operation="lt"/);
  await expect(web1.getByTestId("vm-leftover-constraint")).toContainText("cli-prefer-web1");
  await clearPins(web1, "web1");
  expect(await onNode("node1", "cibadmin --query --scope constraints")).not.toContain(
    "cli-prefer-web1",
  );
  expect(await runningOn("web1")).toEqual([target]);
});

test("a bulk stop of the Started VMs the filter shows stops each, as every node's virsh says; a bulk start of the Stopped ones starts each on one node", async ({
  page,
}) => {
  test.setTimeout(600_000);
  await openVmsPage(page);
  const bulk = async (state: string, action: string) => {
    await page.getByTestId("vm-filter-state").selectOption(state);
    await page.getByTestId("action-bulk").click();
    const dialog = page.getByTestId("bulk-dialog");
    await expect(dialog.getByTestId("bulk-vms")).toHaveText(/^(web1, db1|db1, web1)$/);
    await dialog.getByTestId("input-bulk-action").selectOption(action);
    await dialog.getByTestId("confirm-bulk").click();
    const run = page.getByTestId("bulk-run");
    await expect(run).toHaveAttribute("data-status", "done", { timeout: 300_000 });
    for (const vm of ["web1", "db1"])
      await expect(run.locator(`[data-testid=bulk-item][data-resource="${vm}"]`)).toHaveAttribute(
        "data-state",
        "succeeded",
      );
  };
  await bulk("Started", "stop");
  // Pacemaker's record and libvirt's: both disabled, running nowhere.
  expect(await runningOn("web1")).toEqual([]);
  expect(await runningOn("db1")).toEqual([]);
  expect(await onNode("node1", "crm_mon -1 -r")).toMatch(/web1[^\n]*Stopped \(disabled\)/);
  await bulk("Stopped", "start");
  await expect.poll(() => runningOn("web1"), { timeout: 60_000 }).toHaveLength(1);
  await expect.poll(() => runningOn("db1"), { timeout: 60_000 }).toHaveLength(1);
  expect(await onNode("node1", "crm_mon -1 -r")).not.toContain("disabled");
});

/** What the maintenance hook leaves on a node: the test's power button sees it and power-cycles the node. */
const POWER_CYCLE_MARKER = "/var/lib/corral-e2e-power-cycle";

test("rolling maintenance over the three nodes with a hook that power-cycles each: Corral killed mid-way resumes at that node and step; every node is tested again, every VM comes home, and none ever runs on two nodes", async ({
  page,
}) => {
  test.setTimeout(2_400_000);
  const nodes = lab?.nodes ?? [];
  const port = Number(process.env.CORRAL_E2E_PORT ?? 3100) + 2;
  const base = `http://127.0.0.1:${port}`;
  const home = { web1: await runningOn("web1"), db1: await runningOn("db1") };
  expect(home.web1).toHaveLength(1);
  expect(home.db1).toHaveLength(1);

  // Every node's running domains every second, and the power button: a node whose hook left
  // the marker loses power a moment later and boots again (lab crash + start-node).
  // The nodes are asked one command each, seconds apart on a busy machine: a live migration
  // that switches over between two nodes' answers shows the VM on both once. Two copies running
  // show in the next round too, which starts after every answer of this one: that is a double.
  const doubles: string[] = [];
  let sightedBefore = new Set<string>();
  const cycled: string[] = [];
  const cycling: Promise<unknown>[] = [];
  let watching = true;
  const watcher = (async () => {
    while (watching) {
      const lists = await Promise.all(
        nodes.map((node) =>
          onLabNode(
            node.index,
            `virsh list --name --state-running; if [ -e ${POWER_CYCLE_MARKER} ]; then rm -f ${POWER_CYCLE_MARKER}; echo POWER-CYCLE; fi`,
            20_000,
          ).catch(() => ""),
        ),
      );
      const seen = new Map<string, string[]>();
      lists.forEach((list, i) => {
        const node = nodes[i];
        if (!node) return;
        for (const line of list.split("\n").map((l) => l.trim())) {
          if (line === "POWER-CYCLE") {
            cycled.push(node.name);
            cycling.push(
              new Promise((resolve) => setTimeout(resolve, 3_000))
                .then(() => labRun(["crash", String(node.index)], LAB_TIMEOUT))
                .then(() => labRun(["start-node", String(node.index)], LAB_TIMEOUT)),
            );
          } else if (line) seen.set(line, [...(seen.get(line) ?? []), node.name]);
        }
      });
      const sighted = new Set(
        [...seen].filter(([, on]) => on.length > 1).map(([vm, on]) => `${vm} on ${on.join(", ")}`),
      );
      for (const double of sighted) {
        if (sightedBefore.has(double)) doubles.push(`${double} (${new Date().toISOString()})`);
      }
      sightedBefore = sighted;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  })();

  const testsOn = async (vm: string) => {
    await page.goto(`${base}/test-results`);
    const row = page.locator(`[data-testid=matrix-row][data-vm="${vm}"]`);
    await row.getByTestId("action-history").click();
    const history = page.getByTestId("test-history");
    await expect(history.locator("li").first()).toBeVisible();
    const counts: Record<string, number> = {};
    for (const node of nodes)
      counts[node.name] = await history.locator("li", { hasText: ` · ${node.name} · ` }).count();
    return counts;
  };

  let server = startServer(port);
  try {
    await waitForHealth(base);
    await signIn(page, admin, base);
    const testedBefore = { web1: await testsOn("web1"), db1: await testsOn("db1") };
    await page.goto(`${base}/vms`);
    await page.getByTestId("action-rolling-maintenance").click();
    const form = page.getByTestId("maintenance-form");
    await form.getByTestId("input-maintenance-hook-on").check();
    await form.getByTestId("input-maintenance-hook").fill(`touch ${POWER_CYCLE_MARKER}; sleep 600`);
    await form.getByTestId("action-maintenance-review").click();
    // The plan, node by node, from Pacemaker's scheduler, before the click.
    const plan = form.getByTestId("maintenance-plan");
    for (const node of nodes)
      await expect(
        plan.locator(`[data-testid=maintenance-plan-node][data-node="${node.name}"]`),
      ).toBeVisible({ timeout: 60_000 });
    await expect(plan.getByTestId("maintenance-plan-stop")).toHaveCount(0);
    await expect(plan).toContainText("pcs node standby");
    await form.getByTestId("confirm-maintenance-start").click();

    const maintenance = page.getByTestId("maintenance");
    await expect(maintenance).toHaveAttribute("data-status", "running");
    // Mid-way: while node2's hook runs (or node2 reboots), Corral is killed.
    const where = async () =>
      `${await maintenance.getAttribute("data-node")}:${await maintenance.getAttribute("data-step")}`;
    await expect
      .poll(where, { timeout: 900_000, intervals: [500] })
      .toMatch(/^node2:(work|rejoin)$/);
    server.kill("SIGKILL");
    // The page says what happened to its live updates (not the EventSource's "Unknown error").
    await expect(
      page.getByTestId("error").filter({ hasText: "The live connection to Corral was lost" }),
    ).toBeVisible({ timeout: 30_000 });

    server = startServer(port);
    await waitForHealth(base);
    await page.goto(`${base}/vms`);
    await expect(maintenance).toHaveAttribute("data-status", "paused", { timeout: 120_000 });
    await expect(maintenance).toHaveAttribute("data-node", "node2");
    const step = await maintenance.getAttribute("data-step");
    expect(step).toMatch(/^(work|rejoin)$/);
    await expect(maintenance.getByTestId("maintenance-reason")).toContainText(
      `stopped during ${step} on node2`,
    );
    await maintenance.getByTestId("action-maintenance-resume").click();
    await expect(maintenance).toHaveAttribute("data-status", "succeeded", { timeout: 1_500_000 });

    const log = maintenance.getByTestId("maintenance-log-entry");
    for (const node of nodes) {
      const entries = (s: string, ok = true) =>
        log.and(page.locator(`[data-node="${node.name}"][data-step="${s}"][data-ok="${ok}"]`));
      // Each node drained once: the resumed maintenance did not start node2 again.
      await expect(entries("evacuate")).toHaveCount(1);
      await expect(entries("rejoin").last()).toContainText("after a reboot");
      await expect(entries("return-home")).toHaveCount(1);
    }
    await expect(log.and(page.locator('[data-node="node1"][data-step="gate"]'))).toHaveCount(1);
    // Each node's test of each VM after its work, in the matrix and its history.
    for (const vm of ["web1", "db1"] as const) {
      const after = await testsOn(vm);
      for (const node of nodes)
        expect(after[node.name]).toBe((testedBefore[vm][node.name] ?? 0) + 1);
      const row = page.locator(`[data-testid=matrix-row][data-vm="${vm}"]`);
      for (const node of nodes)
        await expect(row.getByTestId(`cell-${node.name}`)).toHaveAttribute("data-outcome", "pass");
    }
  } finally {
    server.kill("SIGKILL");
    watching = false;
    await watcher;
    await Promise.all(cycling);
  }
  expect(doubles).toEqual([]);
  for (const node of nodes) expect(cycled).toContain(node.name);
  // The cluster's record: every node online, none in standby; every VM home by libvirt.
  const status = await onNode("node1", "crm_mon -1");
  expect(status).toMatch(/Online: \[ node1 node2 node3 \]/);
  expect(status).not.toMatch(/standby/i);
  expect(await runningOn("web1")).toEqual(home.web1);
  expect(await runningOn("db1")).toEqual(home.db1);
});
