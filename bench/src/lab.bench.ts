/**
 * Bench L (issue 3): the lab's own speed and size, on a lab instance of its own. Prints time to
 * `up` (3 nodes), create -> Started, live move, failover after a power loss, and memory per idle
 * node (PSS and RSS summed over each node's PID namespace), against the targets: `up` <= 20 s,
 * <= 200 MiB per idle node. Needs root. Run: pnpm bench:lab
 */
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import {
  type LabInfo,
  labNode,
  pollUntil,
  readClusterStatus,
  readGuestSerial,
  readLabInfo,
  runLab,
  runOnLabNode,
  startedOn,
} from "@corral/lab";

const env = { CORRAL_LAB_NAME: "labbench", CORRAL_LAB_SUBNET: "10.213.62.0/24" };
const UP_TARGET_S = 20;
const IDLE_NODE_TARGET_MIB = 200;

async function timed<T>(action: () => Promise<T>): Promise<[number, T]> {
  const started = performance.now();
  const value = await action();
  return [(performance.now() - started) / 1000, value];
}

interface NodeMemory {
  processes: number;
  pssMiB: number;
  rssMiB: number;
  qemuPssMiB: number;
}

function smapsRollup(pid: string): { pss: number; rss: number } {
  const text = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8");
  const kib = (field: string) =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(text)?.[1] ?? 0);
  return { pss: kib("Pss"), rss: kib("Rss") };
}

/** Sums every process in the PID namespace of the node's init (what a power loss would end). */
function nodeMemory(info: LabInfo, name: string): NodeMemory {
  const init = readFileSync(`${info.labDir}/nodes/${name}/init.pid`, "utf8").trim();
  const namespace = readlinkSync(`/proc/${init}/ns/pid`);
  const total: NodeMemory = { processes: 0, pssMiB: 0, rssMiB: 0, qemuPssMiB: 0 };
  for (const pid of readdirSync("/proc").filter((entry) => /^\d+$/.test(entry))) {
    try {
      if (readlinkSync(`/proc/${pid}/ns/pid`) !== namespace) continue;
      const { pss, rss } = smapsRollup(pid);
      total.processes += 1;
      total.pssMiB += pss / 1024;
      total.rssMiB += rss / 1024;
      if (readFileSync(`/proc/${pid}/comm`, "utf8").startsWith("qemu"))
        total.qemuPssMiB += pss / 1024;
    } catch {
      // The process ended while we looked.
    }
  }
  return total;
}

async function web1Location(info: LabInfo): Promise<string | undefined> {
  return startedOn(await readClusterStatus(info, labNode(info, "node1")), "web1");
}

const row = (label: string, value: string, target = "") =>
  console.log(`${label.padEnd(34)} ${value.padStart(12)}  ${target}`);

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error("the lab bench must run as root");
  await runLab(["down"], { env });
  try {
    const [upSeconds] = await timed(() => runLab(["up"], { env }));
    const [upAgainSeconds] = await timed(() => runLab(["up"], { env }));
    const info = await readLabInfo(env);
    // Let the daemons settle after start-up before measuring idle memory.
    await new Promise((resolve) => setTimeout(resolve, 5000));
    const memory = info.nodes.map((node) => ({ name: node.name, ...nodeMemory(info, node.name) }));

    const shared = info.sharedStoragePath;
    const [createSeconds] = await timed(async () => {
      await runOnLabNode(
        info,
        labNode(info, "node1"),
        `virsh dumpxml web1 > ${shared}/web1.xml && pcs resource create web1 ` +
          `ocf:heartbeat:VirtualDomain config=${shared}/web1.xml migration_transport=ssh meta allow-migrate=true`,
      );
      await pollUntil("web1 Started", () => web1Location(info));
    });
    const serialLog = info.guests.find((guest) => guest.name === "web1")?.serialLog ?? "";
    await pollUntil("web1 booted", () =>
      readGuestSerial(serialLog).then((state) => state ?? undefined),
    );

    const moves: number[] = [];
    for (const target of ["node2", "node3"]) {
      const [seconds] = await timed(async () => {
        await runOnLabNode(info, labNode(info, "node1"), `pcs resource move web1 ${target}`);
        await pollUntil(`web1 on ${target}`, async () =>
          (await web1Location(info)) === target ? true : undefined,
        );
      });
      moves.push(seconds);
    }
    const boots = (await readGuestSerial(serialLog))?.boots.length;

    const [failoverSeconds] = await timed(async () => {
      await runLab(["crash", "3"], { env });
      await pollUntil(
        "web1 Started on a survivor",
        async () => ((await web1Location(info)) ?? "node3") !== "node3" || undefined,
        { timeoutMs: 90_000 },
      );
    });
    const [startNodeSeconds] = await timed(() => runLab(["start-node", "3"], { env }));
    const [resetSeconds] = await timed(() => runLab(["reset"], { env }));
    const [downSeconds] = await timed(() => runLab(["down"], { env }));

    console.log(`Lab bench: ${info.nodes.length} nodes, guests ${info.guests.length}, one run`);
    row(
      "up (cold start, assets cached)",
      `${upSeconds.toFixed(1)} s`,
      `target <= ${UP_TARGET_S} s (ratio ${(upSeconds / UP_TARGET_S).toFixed(2)})`,
    );
    row("up again (already up)", `${upAgainSeconds.toFixed(1)} s`);
    row("pcs resource create -> Started", `${createSeconds.toFixed(1)} s`);
    for (const [index, seconds] of moves.entries()) {
      row(
        `pcs resource move #${index + 1} (live)`,
        `${seconds.toFixed(1)} s`,
        `boots in serial log: ${boots}`,
      );
    }
    row("failover after power loss", `${failoverSeconds.toFixed(1)} s`);
    row("start-node (rejoin)", `${startNodeSeconds.toFixed(1)} s`);
    row("reset", `${resetSeconds.toFixed(1)} s`);
    row("down", `${downSeconds.toFixed(1)} s`);
    for (const node of memory) {
      const idle = node.pssMiB - node.qemuPssMiB;
      row(
        `memory ${node.name} (${node.processes} processes)`,
        `${node.pssMiB.toFixed(0)} MiB PSS`,
        `RSS ${node.rssMiB.toFixed(0)} MiB; without guests ${idle.toFixed(0)} MiB PSS, ` +
          `target <= ${IDLE_NODE_TARGET_MIB} (ratio ${(idle / IDLE_NODE_TARGET_MIB).toFixed(2)})`,
      );
    }
  } finally {
    await runLab(["down"], { env });
  }
}

await main();
