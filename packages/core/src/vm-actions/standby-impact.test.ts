import { describe, expect, it } from "vitest";
import type { Inventory, InventoryVm } from "../cluster/inventory.types.ts";
import { allowedOnly, startedVm } from "../testing/inventory-fixtures.ts";
import { vmsStoppedByStandby, vmsStrandedByStandby } from "./standby-impact.ts";

const inventory = (states: Record<string, string>, vms: InventoryVm[]) =>
  ({
    nodes: Object.entries(states).map(([name, state]) => ({ name, state })),
    vms,
  }) as unknown as Pick<Inventory, "nodes" | "vms">;

describe("vmsStrandedByStandby", () => {
  const vms = [
    startedVm("local1", "node1", [allowedOnly("local1", ["node1"])]),
    startedVm("web1", "node1", [allowedOnly("web1", ["node1", "node2", "node3"])]),
    startedVm("app1", "node2"),
  ];

  it("names the VMs no other allowed, online node can take", () => {
    expect(
      vmsStrandedByStandby(
        inventory({ node1: "online", node2: "online", node3: "online" }, vms),
        "node1",
      ),
    ).toEqual([{ vm: "local1", resource: "local1", reason: "it may run only on node1" }]);
  });

  it("counts standby and offline nodes as no place to go", () => {
    const stranded = vmsStrandedByStandby(
      inventory({ node1: "online", node2: "standby", node3: "offline" }, vms),
      "node1",
    );
    expect(stranded.map((s) => s.resource)).toEqual(["local1", "web1"]);
  });
});

describe("vmsStoppedByStandby", () => {
  it("adds the VMs Pacemaker's scheduler would stop to those the constraints strand, once each", () => {
    const vms = [
      startedVm("local1", "node1", [allowedOnly("local1", ["node1"])]),
      startedVm("web1", "node1"),
      startedVm("db1", "node1"),
    ];
    const stopped = vmsStoppedByStandby(
      inventory({ node1: "online", node2: "online" }, vms),
      "node1",
      {
        node: "node1",
        moves: [{ resource: "db1", from: "node1", to: "node2", live: true }],
        stops: [
          { resource: "local1", reason: "node availability" },
          { resource: "web1", reason: "node availability" },
          { resource: "fence1", reason: null },
        ],
        others: [],
      },
    );
    expect(stopped).toEqual([
      { vm: "local1", resource: "local1", reason: "it may run only on node1" },
      {
        vm: "web1",
        resource: "web1",
        reason: "Pacemaker's scheduler would stop it (node availability)",
      },
    ]);
  });
});
