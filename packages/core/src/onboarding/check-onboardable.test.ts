import { describe, expect, it } from "vitest";
import type { Inventory, InventoryVm } from "../cluster/inventory.types.ts";
import { checkOnboardable } from "./check-onboardable.ts";

const vm = (name: string, resource: string | null): InventoryVm =>
  ({ name, resource: resource ? { id: resource } : null }) as InventoryVm;
const inventory = {
  clusterName: "lab",
  vms: [vm("web1", null), vm("app1", "app1")],
} as Pick<Inventory, "vms" | "clusterName">;

describe("checkOnboardable", () => {
  it("lets an unmanaged VM with a free name through", () => {
    expect(checkOnboardable(inventory, ["app1"], { vm: "web1", resourceName: "web1" })).toBeNull();
  });

  it("refuses an unknown VM, a managed VM and a name the CIB uses", () => {
    expect(checkOnboardable(inventory, [], { vm: "nope", resourceName: "nope" })?.code).toBe(
      "VM_NOT_FOUND",
    );
    expect(
      checkOnboardable(inventory, ["app1"], { vm: "app1", resourceName: "app1b" })?.message,
    ).toContain("already managed by Pacemaker as resource app1");
    expect(
      checkOnboardable(inventory, ["fence1"], { vm: "web1", resourceName: "fence1" })?.message,
    ).toContain("already has a resource named fence1");
  });
});
