/**
 * Bench P1 (issue 4): the same command on 16 nodes vs 1 node, through the SSH pool and with a
 * fresh connection per command, against 16 real sshd instances on loopback ports. Prints the
 * ratios measured side by side in this one run. Goal: 16 nodes <= 1.3x one node via the pool.
 * Needs root (the sshd instances run in private mount namespaces). Run: pnpm bench:ssh
 */
import { execFileSync } from "node:child_process";
import { readFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { type CommandLogSink, type NodeTarget, runOnNodes, SshPool } from "@corral/core";
import { expectOk, startTestSshd } from "@corral/core/testing";

const NODES = 16;
const POOL_ROUNDS = 30;
const FRESH_ROUNDS = 10;
const COMMAND = ["cat", "/proc/loadavg"];
const GOAL = 1.3;
const CLOCK_TICKS = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());

const discard: CommandLogSink = { record: async () => {} };

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** One round: the command once on every node at the same time. */
async function round(pool: SshPool, nodes: NodeTarget[]): Promise<number> {
  const started = performance.now();
  const results = await runOnNodes(nodes, (node) => pool.run(node, COMMAND));
  for (const { result } of results) expectOk(result);
  return performance.now() - started;
}

/** CPU used so far by the sshd instances and every process below them, in ms. */
async function sshdCpuMs(pids: number[]): Promise<number> {
  let ticks = 0;
  const visit = async (pid: number): Promise<void> => {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => "");
    // Fields after the ")" that ends the command name: utime, stime, cutime, cstime are 14-17.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    ticks += [11, 12, 13, 14].reduce((sum, index) => sum + Number(fields[index] ?? 0), 0);
    const children = await readFile(`/proc/${pid}/task/${pid}/children`, "utf8").catch(() => "");
    for (const child of children.split(/\s+/).filter(Boolean)) await visit(Number(child));
  };
  for (const pid of pids) await visit(pid);
  return (ticks * 1000) / CLOCK_TICKS;
}

interface PoolFigures {
  roundMs: number;
  /** CPU per command on the node side (sshd, shell, command) and on Corral's side. */
  nodeCpuMs: number;
  corralCpuMs: number;
}

async function viaPool(nodes: NodeTarget[], sshdPids: number[]): Promise<PoolFigures> {
  const pool = new SshPool({ log: discard });
  await round(pool, nodes); // connect once; the pool keeps the connections
  const times: number[] = [];
  const nodeCpuBefore = await sshdCpuMs(sshdPids);
  const corralCpuBefore = process.cpuUsage();
  for (let index = 0; index < POOL_ROUNDS; index++) times.push(await round(pool, nodes));
  const corralCpu = process.cpuUsage(corralCpuBefore);
  const nodeCpu = (await sshdCpuMs(sshdPids)) - nodeCpuBefore;
  await pool.close();
  const commands = POOL_ROUNDS * nodes.length;
  return {
    roundMs: median(times),
    nodeCpuMs: nodeCpu / commands,
    corralCpuMs: (corralCpu.user + corralCpu.system) / 1000 / commands,
  };
}

/** The same 16 commands one node after another: what the fan-out saves. */
async function sequentially(nodes: NodeTarget[]): Promise<number> {
  const pool = new SshPool({ log: discard });
  await round(pool, nodes);
  const times: number[] = [];
  for (let index = 0; index < FRESH_ROUNDS; index++) {
    const started = performance.now();
    for (const node of nodes) expectOk(await pool.run(node, COMMAND));
    times.push(performance.now() - started);
  }
  await pool.close();
  return median(times);
}

async function freshConnections(nodes: NodeTarget[]): Promise<number> {
  const times: number[] = [];
  for (let index = 0; index < FRESH_ROUNDS; index++) {
    const pool = new SshPool({ log: discard });
    times.push(await round(pool, nodes));
    await pool.close();
  }
  return median(times);
}

const servers = await Promise.all(Array.from({ length: NODES }, () => startTestSshd()));
try {
  const all = servers.map((server, index) => server.target({ id: `node${index + 1}` }));
  const one = all.slice(0, 1);
  // Alternate the measurements so drifting machine load touches both sides alike.
  const pids = servers.map((server) => server.pid());
  const pooled1 = await viaPool(one, pids);
  const pooled16 = await viaPool(all, pids);
  const pool1 = pooled1.roundMs;
  const pool16 = pooled16.roundMs;
  const fresh1 = await freshConnections(one);
  const fresh16 = await freshConnections(all);
  const serial16 = await sequentially(all);

  const ms = (value: number) => `${value.toFixed(1)} ms`.padStart(10);
  const ratio = (value: number) => `${value.toFixed(2)}x`.padStart(7);
  console.log(`SSH pool bench: "${COMMAND.join(" ")}" on 1 and ${NODES} sshd (median per round)`);
  console.log(`                      1 node   ${NODES} nodes   ${NODES}/1`);
  console.log(`through the pool   ${ms(pool1)} ${ms(pool16)} ${ratio(pool16 / pool1)}`);
  console.log(`fresh connection  ${ms(fresh1)} ${ms(fresh16)} ${ratio(fresh16 / fresh1)}`);
  console.log(`fresh / pool       ${ratio(fresh1 / pool1)}    ${ratio(fresh16 / pool16)}`);
  console.log(
    `${NODES} nodes one after another through the pool: ${ms(serial16)} (${ratio(serial16 / pool16)} the fan-out)`,
  );
  // Every sshd here shares this machine's CPUs, unlike real nodes: the 16-node round also
  // measures 16 session start-ups competing for the same cores.
  const cpus = availableParallelism();
  const cpuFloor = (NODES * (pooled16.nodeCpuMs + pooled16.corralCpuMs)) / cpus;
  console.log(
    `CPU per command through the pool: node side ${pooled16.nodeCpuMs.toFixed(2)} ms, Corral ${pooled16.corralCpuMs.toFixed(2)} ms`,
  );
  console.log(
    `all ${NODES} sshd share this machine's ${cpus} CPUs: a ${NODES}-node round needs at least ${cpuFloor.toFixed(1)} ms of CPU here; measured ${ratio(pool16 / cpuFloor)} that floor`,
  );
  // Real nodes bring their own CPUs: only Corral's share stays on one (single-threaded) core.
  const separateNodes = Math.max(pool1, NODES * pooled16.corralCpuMs);
  console.log(
    `with each node on its own CPU the ${NODES}-node round would take about ${ms(separateNodes)} (${ratio(separateNodes / pool1)} one node)`,
  );
  const verdict = pool16 / pool1 <= GOAL ? "met" : "NOT met";
  console.log(`goal: ${NODES} nodes <= ${GOAL}x one node through the pool: ${verdict}`);
} finally {
  await Promise.all(servers.map((server) => server.stop()));
}
