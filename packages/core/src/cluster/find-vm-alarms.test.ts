import { describe, expect, it } from "vitest";
import { findVmAlarms } from "./find-vm-alarms.ts";
import type { InventoryVm, VmResource } from "./inventory.types.ts";

const resource = (role: string, nodes: string[]): VmResource => ({
  id: "web1",
  role,
  active: nodes.length > 0,
  failed: false,
  managed: true,
  isManaged: true,
  targetRole: null,
  orphaned: false,
  nodes,
  constraints: [],
  allowedNodes: null,
  failCounts: [],
  failedActions: [],
  stickiness: "1",
  problem: null,
  configPath: "/etc/pacemaker/web1.xml",
  allowMigrate: true,
  configCheck: { identical: true, copies: [] },
});

function vm(
  res: VmResource | null,
  placements: { node: string; state: string; persistent?: boolean }[],
): Omit<InventoryVm, "alarms"> {
  return {
    name: "web1",
    uuid: null,
    resource: res,
    placements: placements.map((p) => ({ persistent: false, autostart: false, ...p })),
    runningOn: placements.filter((p) => p.state === "running").map((p) => p.node),
    vcpus: 1,
    memoryKiB: 98304,
    disks: [],
  };
}

describe("findVmAlarms", () => {
  it("is quiet for a VM running where Pacemaker places it, and for an unmanaged VM", () => {
    expect(
      findVmAlarms(vm(resource("Started", ["node1"]), [{ node: "node1", state: "running" }])),
    ).toEqual([]);
    expect(
      findVmAlarms(
        vm(null, [
          { node: "node1", state: "running", persistent: true },
          { node: "node2", state: "running" },
        ]),
      ),
    ).toEqual([]);
  });

  it("raises a double run, naming the copy Pacemaker does not place and how to end it", () => {
    const [alarm] = findVmAlarms(
      vm(resource("Started", ["node1"]), [
        { node: "node1", state: "running" },
        { node: "node2", state: "running" },
      ]),
    );
    expect(alarm).toMatchObject({ kind: "double-run", nodes: ["node1", "node2"] });
    expect(alarm?.fix).toEqual([
      "ssh node2 virsh destroy --domain web1",
      "pcs resource refresh web1",
    ]);
  });

  it("raises a copy running where Pacemaker says Stopped, and a persistent definition", () => {
    const alarms = findVmAlarms(
      vm(resource("Stopped", []), [
        { node: "node3", state: "running" },
        { node: "node1", state: "shut off", persistent: true },
      ]),
    );
    expect(alarms.map((a) => [a.kind, a.nodes])).toEqual([
      ["outside-pacemaker", ["node3"]],
      ["persistent-definition", ["node1"]],
    ]);
  });

  it("waits while Pacemaker migrates it (the target's incoming copy is expected)", () => {
    expect(
      findVmAlarms(
        vm(resource("Migrating", ["node1"]), [
          { node: "node1", state: "running" },
          { node: "node2", state: "running" },
        ]),
      ),
    ).toEqual([]);
  });
});
