/**
 * Bench H (issue 11, the hazard watch): on a lab instance of its own, with the real
 * ClusterMonitor and a real SQLite database, prints side by side in one run:
 *   - per hazard kind, the time from the change made by hand on a node to the live inventory
 *     showing its finding (observeInventoryFindings), ROUNDS times each: median and p95, from
 *     the command's start and from its return (target: p95 <= 5 s);
 *   - the node-side cost of staying fresh on a quiet cluster, per node and minute: the commands
 *     the watch runs and the CPU every process of the node used, against the same node idle and
 *     against `crm_mon` polled every 5 s over ssh (the baseline a cron-style monitor pays).
 * Needs root. Run: pnpm bench:hazards
 */
import {
  addCluster,
  addClusterInput,
  ClusterMonitor,
  type FindingKind,
  observeInventoryFindings,
} from "@corral/core";
import { labNodeTarget, pollUntil, runLab } from "@corral/lab";
import { benchLab, makeVirtualDomains } from "./bench-lab.ts";
import { watchedServices } from "./watched-services.ts";

const env = {
  CORRAL_LAB_NAME: "hbench",
  CORRAL_LAB_SUBNET: "10.213.176.0/24",
  CORRAL_LAB_DIR: "/var/lib/corral-lab/hbench",
};
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const QUIET_S = Number(process.env.QUIET_S ?? 60);
const TARGET_S = 5;

const bench = await benchLab(env);
const { lab, on } = bench;

/** CPU seconds every process of a node used so far (its own and its reaped children's). */
async function nodeCpuSeconds(name: string): Promise<number> {
  const stats = await on(
    name,
    "for f in /proc/[0-9]*/stat; do cat $f 2>/dev/null; echo; done; getconf CLK_TCK",
  );
  const lines = stats.trim().split("\n");
  const ticks = Number(lines.pop());
  let total = 0;
  for (const line of lines) {
    // Fields after the command name (which may hold spaces): utime is the 14th field.
    const fields = line.slice(line.lastIndexOf(")") + 2).split(" ");
    total += [11, 12, 13, 14].reduce((sum, index) => sum + Number(fields[index] ?? 0), 0);
  }
  return total / ticks;
}

async function cpuPerNodeMinute(seconds: number): Promise<number> {
  const before = await Promise.all(lab.nodes.map((node) => nodeCpuSeconds(node.name)));
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const after = await Promise.all(lab.nodes.map((node) => nodeCpuSeconds(node.name)));
  const used = after.reduce((sum, value, index) => sum + value - (before[index] ?? 0), 0);
  return used / lab.nodes.length / (seconds / 60);
}

const { commands, test, services } = await watchedServices();
const { pool } = services;
let monitor: ClusterMonitor | null = null;

try {
  await runLab(["reset"], { env, timeoutMs: 300_000 });
  // web1 a resource as an existing cluster has it; fencing on, through the lab's fence_dummy.
  await makeVirtualDomains(bench, ["web1"]);
  await on(
    "node1",
    "pcs stonith create lab-fence fence_dummy type=fail pcmk_host_list='node1 node2 node3' && pcs property set stonith-enabled=true && crm_resource --wait --timeout=60",
  );

  // The baselines first, with no watch: the node idle, then crm_mon every 5 s over ssh.
  const idle = await cpuPerNodeMinute(QUIET_S);
  const polling = new AbortController();
  const poller = (async () => {
    while (!polling.signal.aborted) {
      await on("node1", "crm_mon --one-shot --output-as=xml >/dev/null");
      await new Promise((resolve) => setTimeout(resolve, 5_000));
    }
  })();
  const crmMonPolled = await cpuPerNodeMinute(QUIET_S);
  polling.abort();
  await poller;

  monitor = new ClusterMonitor(services);
  const watch = monitor;
  const added = await addCluster(
    services,
    addClusterInput.parse({ nodes: await Promise.all(lab.nodes.map(labNodeTarget)) }),
    { actorId: null },
  );
  if (!added.ok) throw added.error;
  const findingsNow = async () => {
    const [inventory] = await watch.inventories();
    return inventory ? observeInventoryFindings(inventory).findings : [];
  };
  await pollUntil(
    "every node online, web1's copies checked and its paths probed",
    async () => {
      const [inventory] = await watch.inventories();
      const web1 = inventory?.vms.find((vm) => vm.name === "web1");
      return inventory?.nodes.every((node) => node.state === "online" && node.fencedBy) &&
        web1?.resource?.configCheck?.identical &&
        inventory.migrationPaths?.complete
        ? true
        : undefined;
    },
    { timeoutMs: 180_000 },
  );
  // Steady state: the first minutes' agent installs and first reads are not the quiet cost.
  await new Promise((resolve) => setTimeout(resolve, 10_000));
  const commandsBefore = commands.length;
  const watched = await cpuPerNodeMinute(QUIET_S);
  const watchCommands = (commands.length - commandsBefore) / lab.nodes.length / (QUIET_S / 60);

  const [inventory] = await watch.inventories();
  const home = inventory?.vms.find((vm) => vm.name === "web1")?.resource?.nodes[0] ?? "node1";
  const other = lab.nodes.map((node) => node.name).find((name) => name !== home) ?? "node2";
  const hazards: { kind: FindingKind; on: string; make: string; fix: string }[] = [
    {
      kind: "config-missing",
      on: other,
      make: "mv /etc/pacemaker/web1.xml /root/web1.xml.saved",
      fix: "mv /root/web1.xml.saved /etc/pacemaker/web1.xml",
    },
    {
      kind: "autostart-on",
      on: other,
      make: "virsh define /etc/pacemaker/web1.xml >/dev/null && virsh autostart web1",
      fix: "virsh autostart --disable web1 && virsh undefine web1",
    },
    {
      kind: "persistent-definition",
      on: other,
      make: "virsh define /etc/pacemaker/web1.xml >/dev/null",
      fix: "virsh undefine web1",
    },
    {
      kind: "libvirtd-down",
      on: other,
      make: "kill $(cat /run/libvirtd.pid)",
      fix: "libvirtd -d && for _ in $(seq 50); do virsh list >/dev/null 2>&1 && exit 0; sleep 0.2; done; exit 1",
    },
    {
      kind: "stale-constraint",
      on: "node1",
      make: `pcs resource ban web1 ${other}`,
      fix: "pcs resource clear web1",
    },
    {
      kind: "host-key-changed",
      on: home,
      make: `cp /root/.ssh/known_hosts /root/known_hosts.saved && ssh-keygen -q -t ed25519 -N '' -f /root/impostor >/dev/null && grep -v '^${other},' /root/known_hosts.saved > /root/.ssh/known_hosts && echo "${other} $(cut -d' ' -f1,2 /root/impostor.pub)" >> /root/.ssh/known_hosts`,
      fix: "mv /root/known_hosts.saved /root/.ssh/known_hosts && rm -f /root/impostor /root/impostor.pub",
    },
    {
      kind: "fencing-disabled",
      on: "node1",
      make: "pcs property set stonith-enabled=false",
      fix: "pcs property set stonith-enabled=true",
    },
    {
      kind: "maintenance-mode",
      on: "node1",
      make: "pcs property set maintenance-mode=true",
      fix: "pcs property set maintenance-mode=false",
    },
  ];
  const latencies = new Map<FindingKind, { fromStart: number[]; fromReturn: number[] }>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const hazard of hazards) {
      const started = performance.now();
      await on(hazard.on, hazard.make);
      const made = performance.now();
      await pollUntil(
        `${hazard.kind} found`,
        async () =>
          (await findingsNow()).some((finding) => finding.kind === hazard.kind) ? true : undefined,
        { timeoutMs: 60_000, intervalMs: 50 },
      );
      const seen = performance.now();
      const entry = latencies.get(hazard.kind) ?? { fromStart: [], fromReturn: [] };
      entry.fromStart.push((seen - started) / 1000);
      entry.fromReturn.push((seen - made) / 1000);
      latencies.set(hazard.kind, entry);
      await on(hazard.on, hazard.fix);
      await pollUntil(
        `${hazard.kind} gone`,
        async () =>
          (await findingsNow()).some((finding) => finding.kind === hazard.kind) ? undefined : true,
        { timeoutMs: 60_000, intervalMs: 100 },
      );
    }
  }

  const quantile = (values: number[], q: number) =>
    [...values].sort((a, b) => a - b)[
      Math.min(values.length - 1, Math.ceil(q * values.length) - 1)
    ] ?? Number.NaN;
  console.log(
    `\nHazard detection (${ROUNDS} rounds each, lab of ${lab.nodes.length} nodes; target p95 <= ${TARGET_S} s)`,
  );
  for (const [kind, times] of latencies) {
    console.log(
      `  ${kind.padEnd(22)} from the change's start: median ${quantile(times.fromStart, 0.5).toFixed(2)} s, p95 ${quantile(times.fromStart, 0.95).toFixed(2)} s; from its return: median ${quantile(times.fromReturn, 0.5).toFixed(2)} s, p95 ${quantile(times.fromReturn, 0.95).toFixed(2)} s`,
    );
  }
  const all = [...latencies.values()].flatMap((times) => times.fromStart);
  console.log(`  every hazard, from the change's start: p95 ${quantile(all, 0.95).toFixed(2)} s`);
  console.log(`\nNode-side cost on a quiet cluster, per node and minute (${QUIET_S} s each)`);
  console.log(`  idle (no watch):              ${idle.toFixed(2)} CPU s`);
  console.log(
    `  crm_mon every 5 s over ssh:   ${crmMonPolled.toFixed(2)} CPU s (+${(crmMonPolled - idle).toFixed(2)})`,
  );
  console.log(
    `  Corral's watch:               ${watched.toFixed(2)} CPU s (+${(watched - idle).toFixed(2)}), ${watchCommands.toFixed(1)} commands`,
  );
} finally {
  const stopping = monitor?.stop();
  await pool.close();
  await stopping;
  await test.dispose();
  await runLab(["down"], { env, timeoutMs: 300_000 });
}
