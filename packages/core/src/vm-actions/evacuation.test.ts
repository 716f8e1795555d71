import { describe, expect, it } from "vitest";
import type { InventoryNode, VmResource } from "../cluster/inventory.types.ts";
import type { LocationConstraint } from "../inventory/parse-location-constraints.ts";
import { testInventory, testVm } from "../testing/inventory-fixtures.ts";
import { type EvacuatedVm, returnHomeMoves } from "./evacuation.ts";

const resource = (id: string, over: Partial<VmResource>): VmResource =>
  ({
    id,
    role: "Started",
    nodes: ["node2"],
    constraints: [],
    allowMigrate: true,
    ...over,
  }) as VmResource;

const constraint = (over: Partial<LocationConstraint>): LocationConstraint => ({
  id: "c",
  resource: "web1",
  node: null,
  score: null,
  role: null,
  origin: "user",
  hasRules: false,
  allowedNodes: null,
  ...over,
});

const evacuated = (resource: string, to: string | null, how: EvacuatedVm["how"] = "live") => ({
  resource,
  to,
  how,
  reason: null,
});

const inventory = (
  resources: VmResource[],
  states: InventoryNode["state"][] = ["online", "online", "online"],
) =>
  testInventory({
    nodeStates: states,
    vms: resources.map((each) => testVm({ name: each.id, resource: each })),
  });

describe("returnHomeMoves", () => {
  it("brings back what runs on one other node: live with allow-migrate, else stopped and started", () => {
    const plan = returnHomeMoves(
      { node: "node1", vms: [evacuated("web1", "node2"), evacuated("db1", "node3", "restarted")] },
      inventory([
        resource("web1", { nodes: ["node2"] }),
        resource("db1", { nodes: ["node3"], allowMigrate: false }),
      ]),
    );
    expect(plan).toEqual({
      blocked: null,
      left: [],
      starts: [],
      moves: [
        { resource: "web1", domain: "web1", from: "node2", live: true },
        { resource: "db1", domain: "db1", from: "node3", live: false },
      ],
    });
  });

  it("moves a VM home from wherever it runs now, even a node it moved on to since", () => {
    const plan = returnHomeMoves(
      { node: "node1", vms: [evacuated("web1", "node2")] },
      inventory([resource("web1", { nodes: ["node3"] })]),
    );
    expect(plan.moves).toEqual([{ resource: "web1", domain: "web1", from: "node3", live: true }]);
  });

  it("moves nothing while the node is not back online", () => {
    for (const state of ["standby", "offline", "maintenance"] as const) {
      const plan = returnHomeMoves(
        { node: "node1", vms: [evacuated("web1", "node2")] },
        inventory([resource("web1", {})], [state, "online", "online"]),
      );
      expect(plan.moves).toEqual([]);
      expect(plan.blocked).toBe(`node1 is ${state}: take it back (unstandby) first.`);
    }
  });

  it("leaves, with why, what is home, stopped, gone, banned from home or no longer allowed there", () => {
    const allowedElsewhere = constraint({
      id: "corral-allowed-db1",
      resource: "db1",
      origin: "allowed-nodes",
      allowedNodes: ["node2", "node3"],
    });
    const ban = constraint({
      id: "cli-ban-app1-on-node1",
      resource: "app1",
      node: "node1",
      score: "-INFINITY",
    });
    const plan = returnHomeMoves(
      {
        node: "node1",
        vms: [
          evacuated("web1", "node2"),
          evacuated("local1", null, "stopped"),
          evacuated("gone1", "node2"),
          evacuated("db1", "node2"),
          evacuated("app1", "node3"),
          evacuated("mail1", "node2"),
        ],
      },
      inventory([
        resource("web1", { nodes: ["node1"] }),
        resource("local1", { role: "Stopped", nodes: [] }),
        resource("db1", { constraints: [allowedElsewhere] }),
        resource("app1", { nodes: ["node3"], constraints: [ban] }),
        resource("mail1", { role: "Migrating", nodes: ["node2", "node1"] }),
      ]),
    );
    expect(plan.moves).toEqual([]);
    expect(plan.left).toEqual([
      { resource: "web1", reason: "already home" },
      { resource: "gone1", reason: "no longer a resource" },
      { resource: "db1", reason: "node1 is no longer an allowed node" },
      { resource: "app1", reason: "banned from node1" },
      { resource: "mail1", reason: "it is Migrating on node2, node1" },
    ]);
  });

  it("starts a VM the drain held, still stopped; one started since by hand is moved as the others", () => {
    const plan = returnHomeMoves(
      {
        node: "node1",
        vms: [
          evacuated("web1", null, "held"),
          evacuated("db1", null, "held"),
          evacuated("app1", null, "held"),
        ],
      },
      inventory([
        resource("web1", { role: "Stopped", nodes: [] }),
        resource("db1", { nodes: ["node3"], allowMigrate: false }),
        resource("app1", { nodes: ["node1"] }),
      ]),
    );
    expect(plan.starts).toEqual([{ resource: "web1", domain: "web1", live: true }]);
    expect(plan.moves).toEqual([{ resource: "db1", domain: "db1", from: "node3", live: false }]);
    expect(plan.left).toEqual([{ resource: "app1", reason: "already home" }]);
  });
});
