/**
 * Bench P3 (issue 6): a live migration through Corral against `pcs resource move` typed by hand,
 * on the same VM in the same run, alternating, on a lab instance of its own.
 *   - Corral: core's moveResource (what the card's Migrate button runs), timed from the call to
 *     the first status read showing the VM Started on the target (what the card then shows).
 *   - By hand: `pcs resource move web1 NODE` over ssh, timed until pcs returns (it prints
 *     "resource 'web1' is running on node 'NODE'": what the operator at a terminal waits for).
 * Goal: Corral / by hand <= 1.1. Prints the medians and their ratio. Needs root. Run:
 * pnpm --filter @corral/bench bench:migrate
 */
import { moveResource, SshPool, waitForResourceRole } from "@corral/core";
import {
  createGuestResource,
  labNode,
  labNodeTarget,
  readLabInfo,
  runLab,
  runOnLabNode,
} from "@corral/lab";

const env = { CORRAL_LAB_NAME: "migbench", CORRAL_LAB_SUBNET: "10.213.113.0/24" };
const ROUNDS = 3;
const GOAL = 1.1;

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error("the migration bench must run as root");
  const pool = new SshPool({ log: { record: async () => {} } });
  try {
    await runLab(["up"], { env });
    await runLab(["reset"], { env });
    const info = await readLabInfo(env);
    const nodes = await Promise.all(info.nodes.map(labNodeTarget));
    const sh = (name: string, command: string) => runOnLabNode(info, labNode(info, name), command);
    await createGuestResource(info, "web1", { allowMigrate: true });

    const names = info.nodes.map((node) => node.name);
    let where = "node1";
    const next = () => names[(names.indexOf(where) + 1) % names.length] ?? "node1";
    const corral: number[] = [];
    const byHand: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const viaCorral = next();
      const began = performance.now();
      let startedAt: number | null = null;
      const moved = await moveResource(
        pool,
        nodes,
        { vm: "web1", source: where, target: viaCorral, live: true },
        (progress) => {
          if (progress.phase === "started") startedAt ??= performance.now();
        },
      );
      if (!moved.ok) throw moved.error.error;
      corral.push((startedAt ?? performance.now()) - began);
      where = viaCorral;

      const viaHand = next();
      const typed = performance.now();
      await sh(where, `pcs resource move web1 ${viaHand}`);
      byHand.push(performance.now() - typed);
      const settled = await waitForResourceRole(pool, nodes, {
        resource: "web1",
        role: "Started",
        node: viaHand,
        timeoutMs: 60_000,
      });
      if (!settled.ok) throw settled.error;
      where = viaHand;
      console.log(
        `round ${round + 1}: Corral ${(corral.at(-1) ?? 0) / 1000} s to Started, by hand ${(byHand.at(-1) ?? 0) / 1000} s`,
      );
    }
    const ratio = median(corral) / median(byHand);
    console.log(
      `P3 live migration, median of ${ROUNDS}: Corral click -> Started on target ${(median(corral) / 1000).toFixed(2)} s, pcs resource move by hand ${(median(byHand) / 1000).toFixed(2)} s, ratio ${ratio.toFixed(2)} (goal <= ${GOAL}) ${ratio <= GOAL ? "OK" : "MISSED"}`,
    );
  } finally {
    await pool.close();
    await runLab(["down"], { env });
  }
}

await main();
