import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { domainListSchema } from "../agent/agent-protocol.ts";
import { parseCrmMon } from "../inventory/parse-crm-mon.ts";
import { parseLocationConstraints } from "../inventory/parse-location-constraints.ts";
import { buildInventory, type NodeLiveState } from "./build-inventory.ts";
import type { RegisteredCluster, RegisteredNode } from "./registered-cluster.ts";

// Recorded on the lab: web1 a VirtualDomain resource running on node1 (so transient there),
// broken1 a resource whose domain does not exist, db1/app1/local1 plain libvirt domains.
const fixture = (path: string) => readFileSync(new URL(path, import.meta.url), "utf8");
const status = parseCrmMon(fixture("../inventory/fixtures/crm-mon-standby-ban-failed.xml"));
const constraints = parseLocationConstraints(fixture("../inventory/fixtures/cib-constraints.xml"));
const node1Domains = domainListSchema.parse(
  JSON.parse(fixture("../agent/fixtures/agent-domains-node1.json")),
).domains;

const node = (name: string): RegisteredNode => ({
  id: `id-${name}`,
  clusterId: "c1",
  name,
  host: `192.0.2.${name.at(-1)}`,
  port: 22,
  username: "root",
  hostKey: { keyType: "ssh-ed25519", fingerprint: `SHA256:${name}` },
  presentedHostKey: null,
  sealed: { privateKey: "sealed", passphrase: null, password: null },
  agentVersion: "0123456789abcdef",
  versions: null,
  lastSeenAt: null,
  lastError: null,
});
const cluster: RegisteredCluster = {
  id: "c1",
  name: "corral-lab",
  createdAt: new Date(0),
  nodes: [node("node1"), node("node2"), node("node3")],
};
const up = (domains: NodeLiveState["domains"]): NodeLiveState => ({
  reachable: true,
  error: null,
  pacemakerUp: true,
  domains,
  seenAt: new Date(1),
});

function build(live: Record<string, NodeLiveState>) {
  return buildInventory({
    cluster,
    status,
    statusError: null,
    constraints,
    resources: [
      {
        id: "web1",
        config: "/etc/pacemaker/web1.xml",
        params: { config: "/etc/pacemaker/web1.xml" },
        stickiness: "1",
        allowMigrate: true,
        managed: true,
        domain: "web1",
        uuid: "u-web1",
        problem: null,
      },
      {
        id: "broken1",
        config: "/nowhere/broken1.xml",
        params: { config: "/nowhere/broken1.xml" },
        stickiness: "0",
        allowMigrate: false,
        managed: false,
        domain: null,
        uuid: null,
        problem: "cannot read /nowhere/broken1.xml: No such file or directory",
      },
    ],
    live: new Map(Object.entries(live)),
    refreshedAt: new Date(2),
  });
}

describe("buildInventory", () => {
  const inventory = build({
    "id-node1": up(node1Domains),
    "id-node2": up([]),
    "id-node3": up([]),
  });

  it("tells managed VMs from those not managed yet, and where each is", () => {
    const byName = Object.fromEntries(inventory.vms.map((vm) => [vm.name, vm]));
    expect(Object.keys(byName)).toEqual(["app1", "broken1", "db1", "local1", "web1"]);
    expect(byName.web1).toMatchObject({
      uuid: "u-web1",
      runningOn: ["node1"],
      placements: [{ node: "node1", state: "running", persistent: false }],
      resource: {
        id: "web1",
        role: "Started",
        nodes: ["node1"],
        constraints: [{ id: "cli-ban-web1-on-node2", origin: "ban", node: "node2" }],
        stickiness: "1",
      },
    });
    expect(byName.db1).toMatchObject({ resource: null, runningOn: ["node1"], vcpus: 1 });
    expect(byName.app1).toMatchObject({
      resource: null,
      runningOn: [],
      placements: [{ node: "node1", state: "shut off", persistent: true, autostart: true }],
    });
    // A resource whose domain Corral cannot find is still listed, with the reason.
    expect(byName.broken1).toMatchObject({
      placements: [],
      resource: {
        role: "Stopped",
        stickiness: "0",
        problem: expect.stringContaining("No such file"),
      },
    });
    expect(byName.broken1?.resource?.failCounts.map((count) => count.node).sort()).toEqual([
      "node1",
      "node2",
      "node3",
    ]);
  });

  it("takes node states from Pacemaker, and the DC and quorum", () => {
    expect(inventory.summary).toMatchObject({ quorate: true, dc: "node3" });
    expect(inventory.nodes.map((n) => [n.name, n.state, n.isDc])).toEqual([
      ["node1", "online", false],
      ["node2", "online", false],
      ["node3", "standby", true],
    ]);
  });

  it("says why a node is not part of the picture: unreachable, Pacemaker stopped, not yet contacted", () => {
    const degraded = build({
      "id-node1": up(node1Domains),
      "id-node2": {
        reachable: false,
        error: { code: "NODE_UNREACHABLE", message: "connection refused" },
        pacemakerUp: null,
        domains: null,
        seenAt: null,
      },
      "id-node3": { ...up([]), pacemakerUp: false },
    });
    expect(degraded.nodes.map((n) => [n.name, n.state, n.error?.code ?? null])).toEqual([
      ["node1", "online", null],
      ["node2", "unreachable", "NODE_UNREACHABLE"],
      ["node3", "pacemaker-stopped", null],
    ]);
    expect(build({}).nodes.every((n) => n.state === "connecting")).toBe(true);
  });
});

describe("buildInventory on crm_mon shapes the lab never produces", () => {
  const inventory = buildInventory({
    cluster,
    status: parseCrmMon(fixture("../inventory/fixtures/crm-mon-shapes.xml")),
    statusError: null,
    constraints: [],
    resources: [],
    live: new Map(),
    refreshedAt: new Date(2),
  });
  const vm = (name: string) => inventory.vms.find((entry) => entry.name === name);

  it("takes VirtualDomain from any provider as a VM, with its target role", () => {
    expect(vm("vm2")?.resource).toMatchObject({
      id: "vm2",
      role: "Stopped",
      active: false,
      targetRole: "Stopped",
    });
  });

  it("keeps the orphaned flag of a VM no longer configured", () => {
    expect(vm("ghost1")?.resource).toMatchObject({ orphaned: true, nodes: ["node1"] });
  });

  it("puts every instance of a cloned VM on the one card", () => {
    expect(vm("vmc")?.resource?.nodes).toEqual(["node1", "hb2-ü"]);
  });
});
