import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Inventory, InventoryNode, InventoryVm } from "./inventory.types.ts";
import { applyInventoryDelta, decodeFeedMessages, diffInventory } from "./inventory-delta.ts";

const node = (name: string, state: InventoryNode["state"] = "online"): InventoryNode => ({
  id: `id-${name}`,
  name,
  host: "192.0.2.1",
  port: 22,
  username: "root",
  hostKey: { keyType: "ssh-ed25519", fingerprint: `SHA256:${name}` },
  presentedHostKey: null,
  agentVersion: "0123456789abcdef",
  versions: null,
  lastSeenAt: new Date(1),
  state,
  isDc: false,
  error: null,
  libvirt: { up: true, error: null },
  fencedBy: null,
});

const vm = (name: string, role: string, on: string): InventoryVm => ({
  name,
  uuid: null,
  resource: {
    id: name,
    role,
    active: role === "Started",
    failed: false,
    managed: true,
    isManaged: true,
    targetRole: null,
    orphaned: false,
    nodes: role === "Started" ? [on] : [],
    constraints: [],
    allowedNodes: null,
    failCounts: [],
    failedActions: [],
    stickiness: "1",
    problem: null,
    configPath: `/etc/pacemaker/${name}.xml`,
    allowMigrate: true,
    configCheck: { identical: true, copies: [] },
  },
  placements: [],
  runningOn: role === "Started" ? [on] : [],
  vcpus: 1,
  memoryKiB: 524288,
  disks: [],
  alarms: [],
});

const inventory = (vms: InventoryVm[], nodes = [node("node1"), node("node2")]): Inventory => ({
  clusterId: "c1",
  clusterName: "corral-lab",
  refreshedAt: new Date(2),
  summary: null,
  statusError: null,
  nodes,
  vms,
  failedActions: [],
  constraints: [],
  migrationPaths: null,
});

describe("diffInventory / applyInventoryDelta", () => {
  it("sends only the VM that changed, and keeps the others the same objects", () => {
    const before = inventory(["a", "b", "c"].map((name) => vm(name, "Started", "node1")));
    const after = inventory([
      before.vms[0] as InventoryVm,
      vm("b", "Stopped", "node1"),
      before.vms[2] as InventoryVm,
    ]);
    const delta = diffInventory(before, after);
    expect(delta?.vms?.map((v) => v.name)).toEqual(["b"]);
    expect(delta?.nodes).toBeUndefined();
    const applied = applyInventoryDelta(before, delta as NonNullable<typeof delta>);
    expect(applied).toEqual(after);
    expect(applied.vms[0]).toBe(before.vms[0]);
    expect(applied.vms[2]).toBe(before.vms[2]);
  });

  it("makes no version of a node's lastSeenAt or the refresh time alone", () => {
    const before = inventory([vm("a", "Started", "node1")]);
    const after = {
      ...before,
      refreshedAt: new Date(99),
      nodes: before.nodes.map((n) => ({ ...n, lastSeenAt: new Date(98) })),
    };
    expect(diffInventory(before, after)).toBeNull();
  });

  it("rebuilds any later inventory from an earlier one (property)", () => {
    const names = ["a", "b", "c", "d", "e"];
    const anInventory = fc
      .record({
        vms: fc
          .subarray(names)
          .chain((chosen) =>
            fc.tuple(
              ...chosen.map((name) =>
                fc
                  .tuple(
                    fc.constantFrom("Started", "Stopped", "Migrating"),
                    fc.constantFrom("node1", "node2"),
                  )
                  .map(([role, on]) => vm(name, role, on)),
              ),
            ),
          ),
        nodes: fc
          .subarray(["node1", "node2", "node3"])
          .chain((chosen) =>
            fc.tuple(
              ...chosen.map((name) =>
                fc
                  .constantFrom("online", "standby", "unreachable")
                  .map((state) => node(name, state as InventoryNode["state"])),
              ),
            ),
          ),
        statusError: fc.option(fc.string(), { nil: null }),
      })
      .map(({ vms, nodes, statusError }) => ({ ...inventory(vms, nodes), statusError }));
    fc.assert(
      fc.property(anInventory, anInventory, (before, after) => {
        const delta = diffInventory(before, after);
        const applied = delta ? applyInventoryDelta(before, delta) : before;
        expect({ ...applied, refreshedAt: null }).toEqual({ ...after, refreshedAt: null });
      }),
    );
  });

  it("turns the dates of a message read from JSON back into Dates", () => {
    const [revived] = decodeFeedMessages(
      JSON.stringify([{ kind: "snapshot", clusterId: "c1", version: 1, inventory: inventory([]) }]),
    );
    expect(revived).toMatchObject({ inventory: { refreshedAt: new Date(2) } });
    expect(revived?.kind === "snapshot" && revived.inventory.nodes[0]?.lastSeenAt).toEqual(
      new Date(1),
    );
  });
});
