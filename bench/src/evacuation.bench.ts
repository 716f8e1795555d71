/**
 * Bench E (issue 12, evacuation): on a lab instance of its own with web1, db1 and app1 as
 * live-migratable VirtualDomain resources on node1, prints side by side in one run, ROUNDS
 * times each (median):
 *   - Corral's drain of node1: the operation history read, `pcs node standby node1 --wait`, and
 *     the outcome read from Pacemaker's record and node1's libvirt (what the standby action
 *     runs), with how each VM moved;
 *   - the same three moves typed one after another, as an operator without Corral would:
 *     `pcs resource move VM NODE` for each, each waiting for pcs.
 * Needs root. Run: pnpm bench:evacuation
 */
import {
  readEvacuationOutcome,
  readOperationHistory,
  runResourceAction,
  SshPool,
} from "@corral/core";
import { labNodeTarget, runLab } from "@corral/lab";
import { benchLab, makeVirtualDomains } from "./bench-lab.ts";

const env = {
  CORRAL_LAB_NAME: "evbench",
  CORRAL_LAB_SUBNET: "10.213.177.0/24",
  CORRAL_LAB_DIR: "/var/lib/corral-lab/evbench",
};
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const VMS = ["web1", "db1", "app1"];

const bench = await benchLab(env);
const { lab, on } = bench;
const pool = new SshPool({ log: { record: async () => {} } });
const nodes = await Promise.all(lab.nodes.map(labNodeTarget));
const node1 = nodes.find((node) => node.id === "node1");
if (!node1) throw new Error("the lab has no node1");

/** Every VM back on node1, one pcs move at a time (not timed). */
async function allOnNode1(): Promise<void> {
  for (const vm of VMS) {
    const where = (await on("node1", `crm_resource --resource ${vm} --locate 2>&1`)).trim();
    if (!where.includes("node1")) await on("node1", `pcs resource move ${vm} node1`);
  }
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

try {
  await runLab(["reset"], { env, timeoutMs: 300_000 });
  await on("node1", "virsh destroy db1 >/dev/null 2>&1; virsh autostart --disable app1 >/dev/null");
  await makeVirtualDomains(bench, VMS);

  const drains: number[] = [];
  const typed: number[] = [];
  const hows: string[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    await allOnNode1();
    const started = performance.now();
    const before = await readOperationHistory(pool, nodes);
    const standby = await runResourceAction(pool, node1, "standby", { node: "node1" });
    if (!standby.ok) throw standby.error;
    const outcome = await readEvacuationOutcome(
      pool,
      nodes,
      { node: "node1", resources: VMS },
      before,
    );
    drains.push((performance.now() - started) / 1000);
    if (!outcome.ok) throw outcome.error;
    hows.push(outcome.value.vms.map((vm) => `${vm.resource}->${vm.to} ${vm.how}`).join(", "));
    const targets = outcome.value.vms.map((vm) => vm.to ?? "node2");
    const unstandby = await runResourceAction(pool, node1, "unstandby", { node: "node1" });
    if (!unstandby.ok) throw unstandby.error;

    await allOnNode1();
    const typing = performance.now();
    for (const [index, vm] of VMS.entries()) {
      await on("node1", `pcs resource move ${vm} ${targets[index]}`);
    }
    typed.push((performance.now() - typing) / 1000);
  }

  console.log(`\nEvacuating node1 of ${VMS.join(", ")} (${ROUNDS} rounds, median)`);
  console.log(
    `  Corral's drain (standby, outcome from Pacemaker's record): ${median(drains).toFixed(1)} s`,
  );
  console.log(
    `  the same moves typed one after another with pcs:         ${median(typed).toFixed(1)} s`,
  );
  console.log(`  ratio: ${(median(drains) / median(typed)).toFixed(2)}`);
  for (const how of hows) console.log(`  drain: ${how}`);
} finally {
  await pool.close();
  await runLab(["down"], { env, timeoutMs: 300_000 });
}
