import { mkdtemp, rename, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { readAgentBundle } from "@corral/agent";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CommandRecord } from "../command-log.ts";
import { SshPool } from "../ssh/ssh-pool.ts";
import { type FakeCluster, startFakeCluster } from "../testing/fake-cluster.ts";
import { ClusterMonitor } from "./cluster-monitor.ts";
import type { Inventory } from "./inventory.types.ts";
import type { InventoryFeedMessage } from "./inventory-delta.ts";
import { sealCredentials } from "./node-access.ts";
import type { ClusterRegistry, RegisteredCluster } from "./registered-cluster.ts";

// The monitor on fake nodes (real sshd, the real agent, Pacemaker's own crm_mon on a generated
// CIB): one crm_mon per cluster change whatever the number of nodes reporting it, the
// configuration read again only when its epoch moved, and one small delta per change.
const NODES = 4;
const VMS = 12;
const key = Buffer.alloc(32, 7);

let dir: string;
let cluster: FakeCluster;
let pool: SshPool;
let monitor: ClusterMonitor;
let registered: RegisteredCluster;
const commands: CommandRecord[] = [];

function registryOf(registered: RegisteredCluster): ClusterRegistry {
  const unused = () => Promise.reject(new Error("not used by the monitor"));
  return {
    listClusters: async () => [registered],
    findCluster: async (id) => (id === registered.id ? registered : null),
    findClusterByName: unused,
    findNode: async (id) => registered.nodes.find((node) => node.id === id) ?? null,
    findNodeByEndpoint: unused,
    registerCluster: unused,
    addNodes: unused,
    updateNodeHealth: async () => undefined,
    replaceHostKey: unused,
    removeNode: unused,
    removeCluster: unused,
  };
}

const argvOf = (record: CommandRecord) => record.argv.join(" ");
const count = (since: number, pattern: RegExp) =>
  commands.slice(since).filter((record) => pattern.test(argvOf(record))).length;

async function inventoryWhen(
  what: string,
  test: (inventory: Inventory) => boolean,
  of: ClusterMonitor = monitor,
) {
  for (let waited = 0; waited < 60_000; waited += 100) {
    const inventory = await of.inventory("c1");
    if (inventory && test(inventory)) return inventory;
    await sleep(100);
  }
  throw new Error(`the inventory never showed ${what}`);
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "corral-monitor-"));
  cluster = await startFakeCluster({ dir, nodes: NODES, vms: VMS, firstPort: 24_300 });
  registered = {
    id: "c1",
    name: cluster.name,
    createdAt: new Date(0),
    nodes: cluster.nodes.map((node) => ({
      id: `id-${node.name}`,
      clusterId: "c1",
      name: node.name,
      host: "127.0.0.1",
      port: node.sshd.port,
      username: "root",
      hostKey: node.sshd.hostKey,
      presentedHostKey: null,
      sealed: sealCredentials(
        { username: "root", privateKey: node.sshd.privateKey },
        key,
        `id-${node.name}`,
      ),
      agentVersion: null,
      versions: null,
      lastSeenAt: null,
      lastError: null,
    })),
  };
  pool = new SshPool({ log: { record: async (record) => void commands.push(record) } });
  monitor = new ClusterMonitor(
    { pool, registry: registryOf(registered), credentialKey: key, agent: readAgentBundle() },
    { watchWaitS: 5 },
  );
  await monitor.start();
});

afterAll(async () => {
  await pool?.close();
  await monitor?.stop();
  await cluster?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("ClusterMonitor on fake nodes", () => {
  it("fills every card from the inventory: role, allow-migrate, config path, drift", async () => {
    const inventory = await inventoryWhen(
      "every VM whole",
      // Every node online first: a check over the nodes that answered so far is whole only
      // for them, and a node coming online later changes every card.
      (candidate) =>
        candidate.nodes.every((node) => node.state === "online") &&
        candidate.vms.length === VMS &&
        candidate.vms.every((vm) => vm.resource?.configCheck && vm.resource.allowMigrate !== null),
    );
    const first = inventory.vms[0];
    expect(first?.resource).toMatchObject({
      role: "Started",
      nodes: ["node1"],
      allowMigrate: true,
      configPath: path.join(dir, "configs", `${first?.name}.xml`),
      configCheck: { identical: true, copies: [] },
    });
    // Every VM may migrate live between every two nodes: each ordered pair probed once.
    const probed = await inventoryWhen(
      "the live-migration paths probed",
      (candidate) => candidate.migrationPaths?.complete === true,
    );
    expect(probed.migrationPaths).toMatchObject({ probed: NODES * (NODES - 1), failures: [] });
    expect(
      count(0, /^virsh --connect qemu:\/\/node\d\/system --quiet uri$/),
    ).toBeGreaterThanOrEqual(NODES * (NODES - 1));
  });

  it("runs crm_mon once for a change every node reports, and publishes one small delta", async () => {
    const abort = new AbortController();
    const feed = monitor.feed(abort.signal);
    const start = JSON.parse((await feed.next()).value as string) as InventoryFeedMessage[];
    expect(start.map((message) => message.kind)).toEqual(["snapshot"]);
    await sleep(1_500);
    const before = commands.length;
    const [vm] = cluster.vms;
    await cluster.setVmRunning(vm?.name ?? "", null);
    await inventoryWhen("the VM stopped", (inventory) =>
      inventory.vms.some(
        (candidate) => candidate.name === vm?.name && candidate.resource?.role === "Stopped",
      ),
    );
    await sleep(1_500);
    expect(count(before, /^crm_mon/)).toBe(1);
    expect(count(before, /resources$/)).toBe(1);
    const deltas: InventoryFeedMessage[] = [];
    for (;;) {
      const next = await Promise.race([feed.next(), sleep(200).then(() => null)]);
      if (!next) break;
      deltas.push(...(JSON.parse(next.value as string) as InventoryFeedMessage[]));
    }
    abort.abort();
    expect(deltas.length).toBeGreaterThan(0);
    for (const message of deltas) {
      expect(message.kind).toBe("delta");
      if (message.kind === "delta") {
        expect(message.delta.vms?.map((v) => v.name) ?? []).toEqual([vm?.name]);
        // Stopped in crm_mon before its node's domains are read again: never "outside Pacemaker".
        expect(message.delta.vms?.flatMap((v) => v.alarms) ?? []).toEqual([]);
        expect(message.delta.nodes).toBeUndefined();
      }
    }
    const settled = await monitor.inventory("c1");
    expect(settled?.vms.find((candidate) => candidate.name === vm?.name)?.runningOn).toEqual([]);
  });

  it("reads only crm_mon for a status-only change, and publishes nothing when nothing shows", async () => {
    await sleep(1_000);
    const before = commands.length;
    const published: string[] = [];
    const abort = new AbortController();
    const feed = monitor.feed(abort.signal);
    await feed.next();
    const reading = (async () => {
      for await (const messages of feed) published.push(messages);
    })();
    await cluster.bumpStatus();
    await sleep(3_000);
    abort.abort();
    await reading;
    expect(count(before, /^crm_mon/)).toBe(1);
    expect(count(before, /resources$|--scope constraints/)).toBe(0);
    expect(published).toEqual([]);
  });

  it("watches a config file from the moment it learns of it, not after the node's long poll", async () => {
    // A monitor whose long polls last ten minutes: its first waits start before the resources
    // (and so their config files) are read, and must be asked again once they are.
    const patient = new ClusterMonitor(
      { pool, registry: registryOf(registered), credentialKey: key, agent: readAgentBundle() },
      { watchWaitS: 600 },
    );
    // Alone on the nodes: the other monitor's commands there would end these waits early.
    await monitor.stop();
    const [vm] = cluster.vms;
    const config = path.join(dir, "configs", `${vm?.name}.xml`);
    const check = (inventory: Inventory) =>
      inventory.vms.find((candidate) => candidate.name === vm?.name)?.resource?.configCheck;
    await patient.start();
    try {
      await inventoryWhen(
        "every node online and the config checked",
        (inventory) =>
          inventory.nodes.every((node) => node.state === "online") &&
          check(inventory)?.identical === true,
        patient,
      );
      await rename(config, `${config}.away`);
      // Every node's watch ends on the file's removal and hashes its copies again.
      const missing = await inventoryWhen(
        "the config missing on every node",
        (inventory) =>
          check(inventory)?.copies.filter((copy) => copy.sha256 === null).length === NODES,
        patient,
      );
      expect(check(missing)?.identical).toBe(false);
    } finally {
      await rename(`${config}.away`, config).catch(() => undefined);
      await patient.stop();
    }
  });
});
