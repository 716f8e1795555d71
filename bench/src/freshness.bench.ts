/**
 * Bench N (issue 4, freshness): how fast a change on a node reaches subscribers, and what the
 * live inventory costs, on a lab instance of its own, a real SQLite database and the real
 * ClusterMonitor. Prints, side by side in one run:
 *   - Pacemaker stopped on a node -> snapshot with the node's card changed, with 1 and with 200
 *     subscribers (ratio: the cost per change must not grow with clients); target <= 2 s;
 *   - node commands per node per minute on a quiet cluster (the long poll's heartbeat).
 * Needs root. Run: pnpm bench:freshness
 */
import { setMaxListeners } from "node:events";
import { addCluster, addClusterInput, ClusterMonitor, type Inventory } from "@corral/core";
import { labNodeTarget, pollUntil, readLabInfo, runLab, runOnLabNode } from "@corral/lab";
import { watchedServices } from "./watched-services.ts";

const env = {
  CORRAL_LAB_NAME: "nodesbench",
  CORRAL_LAB_SUBNET: "10.213.63.0/24",
  CORRAL_LAB_DIR: "/var/lib/corral-lab/nodesbench",
};
const TARGET_S = 2;
const ROUNDS = 3;
const QUIET_S = 60;

await runLab(["up"], { env, timeoutMs: 600_000 });
const lab = await readLabInfo(env);
const node3 = lab.nodes.find((node) => node.name === "node3");
if (!node3) throw new Error("the lab has no node3");
const { commands, test, services } = await watchedServices();
const { pool } = services;
const monitor = new ClusterMonitor(services);

try {
  const added = await addCluster(
    services,
    addClusterInput.parse({
      nodes: await Promise.all(lab.nodes.map(labNodeTarget)),
    }),
    { actorId: null },
  );
  if (!added.ok) throw added.error;
  const allOnline = () =>
    pollUntil(
      "every node online",
      async () => {
        const [inventory] = await monitor.inventories();
        return inventory?.nodes.every((node) => node.state === "online") ? true : undefined;
      },
      { timeoutMs: 120_000 },
    );
  await allOnline();

  /**
   * Stops Pacemaker on node3 and measures until `subscribers` all saw the card change: from
   * the stop command's start, and from its return (the e2e's 2 s budget starts there).
   */
  async function round(subscribers: number): Promise<{ fromStart: number; fromReturn: number }> {
    const abort = new AbortController();
    // Every subscriber listens on the one signal, like every SSE stream on its request's.
    setMaxListeners(subscribers + 1, abort.signal);
    const seen = Array.from({ length: subscribers }, async () => {
      for await (const inventory of monitor.changes(abort.signal)) {
        if (cardOf(inventory) === "pacemaker-stopped") return performance.now();
      }
      return Number.NaN;
    });
    const started = performance.now();
    await runOnLabNode(
      lab,
      node3 as (typeof lab.nodes)[number],
      "pacemakerd --shutdown; while pidof pacemakerd >/dev/null; do sleep 0.1; done",
    );
    const stopped = performance.now();
    const last = Math.max(...(await Promise.all(seen)));
    abort.abort();
    await runOnLabNode(
      lab,
      node3 as (typeof lab.nodes)[number],
      "{ setsid /usr/sbin/pacemakerd </dev/null >/dev/null 2>&1 & }",
    );
    await allOnline();
    return { fromStart: (last - started) / 1000, fromReturn: (last - stopped) / 1000 };
  }

  const results: Record<string, { fromStart: number; fromReturn: number }[]> = {
    "1 subscriber": [],
    "200 subscribers": [],
  };
  for (let i = 0; i < ROUNDS; i++) {
    results["1 subscriber"]?.push(await round(1));
    results["200 subscribers"]?.push(await round(200));
  }

  const before = commands.length;
  await new Promise((resolve) => setTimeout(resolve, QUIET_S * 1000));
  const perNodeMinute = (commands.length - before) / lab.nodes.length / (QUIET_S / 60);

  const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1] ?? 0;
  const medianOf = (label: string, key: "fromStart" | "fromReturn") =>
    median((results[label] ?? []).map((result) => result[key]));
  console.log(`\nFreshness (${ROUNDS} rounds each, lab of ${lab.nodes.length} nodes)`);
  for (const label of Object.keys(results)) {
    const worst = Math.max(...(results[label] ?? []).map((result) => result.fromReturn));
    console.log(
      `  Pacemaker stop -> card changed, ${label.padEnd(16)} from the stop's start: median ${medianOf(label, "fromStart").toFixed(2)} s; from its return: median ${medianOf(label, "fromReturn").toFixed(2)} s, max ${worst.toFixed(2)} s (target <= ${TARGET_S} s)`,
    );
  }
  console.log(
    `  ratio 200 subscribers / 1 subscriber (from the stop's start): ${(medianOf("200 subscribers", "fromStart") / medianOf("1 subscriber", "fromStart")).toFixed(2)}x (cost per change, not per client)`,
  );
  console.log(`  quiet cluster: ${perNodeMinute.toFixed(1)} node commands per node per minute`);
} finally {
  const stopping = monitor.stop();
  await pool.close();
  await stopping;
  await test.dispose();
  await runLab(["down"], { env, timeoutMs: 300_000 });
}

function cardOf(inventory: Inventory): string | undefined {
  return inventory.nodes.find((node) => node.name === "node3")?.state;
}
