import { describe, expect, it } from "vitest";
import { testInventory, testVm } from "../testing/inventory-fixtures.ts";
import { reviewPlacementAlarms } from "./confirm-placement-alarms.ts";
import type { VmAlarm } from "./inventory.types.ts";

const alarm = (kind: VmAlarm["kind"], nodes: string[]): VmAlarm => ({
  kind,
  nodes,
  message: `${kind} on ${nodes.join(" and ")}`,
  fix: [],
});

// web1 at a live migration's switch-over as one inventory can show it; db1 defined by hand.
const inventory = testInventory({
  vms: [
    testVm({
      name: "web1",
      alarms: [alarm("double-run", ["node3", "node1"]), alarm("persistent-definition", ["node1"])],
    }),
    testVm({ name: "db1", alarms: [alarm("outside-pacemaker", ["node2"])] }),
    testVm({ name: "app1" }),
  ],
});
const kinds = (review: ReturnType<typeof reviewPlacementAlarms>) =>
  review.published.vms.map((vm) => [vm.name, vm.alarms.map((a) => a.kind)]);
const none = new Set<string>();

describe("reviewPlacementAlarms", () => {
  it("withholds a new placement claim and asks for it to be read again; other alarms pass", () => {
    const review = reviewPlacementAlarms(inventory, none, none);
    expect(kinds(review)).toEqual([
      ["web1", ["persistent-definition"]],
      ["db1", []],
      ["app1", []],
    ]);
    expect(review.toConfirm).toEqual([
      { key: "web1|double-run|node1,node3", vm: "web1", nodes: ["node1", "node3"] },
      { key: "db1|outside-pacemaker|node2", vm: "db1", nodes: ["node2"] },
    ]);
    expect(review.confirmed).toEqual(new Set());
  });

  it("asks nothing again for a claim being confirmed, and still withholds it", () => {
    const review = reviewPlacementAlarms(
      inventory,
      none,
      new Set(["web1|double-run|node1,node3", "db1|outside-pacemaker|node2"]),
    );
    expect(review.toConfirm).toEqual([]);
    expect(kinds(review)[0]).toEqual(["web1", ["persistent-definition"]]);
  });

  it("publishes a confirmed claim while it is made, and forgets one no longer made", () => {
    const confirmed = new Set(["web1|double-run|node1,node3", "app1|double-run|node1,node2"]);
    const review = reviewPlacementAlarms(inventory, confirmed, none);
    expect(kinds(review)).toEqual([
      ["web1", ["double-run", "persistent-definition"]],
      ["db1", []],
      ["app1", []],
    ]);
    expect(review.confirmed).toEqual(new Set(["web1|double-run|node1,node3"]));
    expect(review.toConfirm.map((claim) => claim.key)).toEqual(["db1|outside-pacemaker|node2"]);
  });

  it("takes the same VM on other nodes for a new claim", () => {
    const moved = testInventory({
      vms: [testVm({ name: "web1", alarms: [alarm("double-run", ["node1", "node2"])] })],
    });
    const review = reviewPlacementAlarms(moved, new Set(["web1|double-run|node1,node3"]), none);
    expect(kinds(review)).toEqual([["web1", []]]);
    expect(review.toConfirm.map((claim) => claim.key)).toEqual(["web1|double-run|node1,node2"]);
  });
});
