import { describe, expect, it } from "vitest";
import type { Inventory, InventoryVm, VmResource } from "../cluster/inventory.types.ts";
import { oneClickFix } from "./one-click-fix.ts";

// The VM "www" runs as resource "vm-www": fixes name the resource, as pcs needs.
const inventory = (resource: Partial<VmResource>): Inventory =>
  ({
    vms: [{ name: "www", resource: { id: "vm-www", isManaged: true, ...resource } } as InventoryVm],
  }) as Inventory;

describe("oneClickFix", () => {
  it("turns autostart off on the node that has it, for the domain", () => {
    expect(oneClickFix({ kind: "autostart-on", vm: "www", node: "node2" }, null)).toEqual({
      kind: "autostart-off",
      vm: "www",
      node: "node2",
      argv: ["virsh", "autostart", "--disable", "--domain", "www"],
      label: "Turn autostart off on node2",
      command: "node2: virsh autostart --disable --domain www",
      caution: null,
    });
  });

  it("runs the resource's own action or meta change, by the resource's id", () => {
    const live = inventory({});
    expect(oneClickFix({ kind: "stale-constraint", vm: "www", node: "node2" }, live)).toMatchObject(
      {
        kind: "vm-action",
        action: "clear",
        vm: "vm-www",
        command: "pcs resource clear vm-www",
      },
    );
    expect(oneClickFix({ kind: "stickiness-zero", vm: "www", node: null }, live)).toMatchObject({
      kind: "meta",
      vm: "vm-www",
      values: { "resource-stickiness": "1" },
      command: "pcs resource meta vm-www resource-stickiness=1",
    });
    expect(
      oneClickFix({ kind: "unmanaged", vm: "www", node: null }, inventory({ isManaged: false })),
    ).toMatchObject({ kind: "vm-action", action: "manage", command: "pcs resource manage vm-www" });
    expect(oneClickFix({ kind: "maintenance-mode", vm: null, node: null }, live)).toMatchObject({
      kind: "cluster-action",
      action: "maintenance-off",
      command: "pcs property set maintenance-mode=false",
    });
  });

  it("offers none where no single command is safe, or the resource is gone", () => {
    const live = inventory({});
    for (const kind of [
      "fencing-disabled",
      "libvirtd-down",
      "config-missing",
      "double-run",
    ] as const) {
      expect(oneClickFix({ kind, vm: "www", node: "node1" }, live)).toBeNull();
    }
    expect(oneClickFix({ kind: "stale-constraint", vm: "gone", node: null }, live)).toBeNull();
    // Unmanaged because the cluster is in maintenance: leaving maintenance is its fix.
    expect(oneClickFix({ kind: "unmanaged", vm: "www", node: null }, live)).toBeNull();
  });
});
