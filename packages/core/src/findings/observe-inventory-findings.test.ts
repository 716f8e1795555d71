import { describe, expect, it } from "vitest";
import type {
  ClusterSummary,
  Inventory,
  InventoryNode,
  InventoryVm,
} from "../cluster/inventory.types.ts";
import { observeInventoryFindings } from "./observe-inventory-findings.ts";

const healthy: ClusterSummary = {
  quorate: true,
  dc: "node1",
  maintenanceMode: false,
  stonithEnabled: true,
  lastChange: null,
};

function inventory(
  summary: ClusterSummary | null,
  vms: Partial<InventoryVm>[] = [],
  nodeStates: InventoryNode["state"][] = ["online", "online"],
): Inventory {
  return {
    clusterId: "c1",
    clusterName: "lab",
    refreshedAt: new Date(0),
    summary,
    statusError: summary ? null : "no node answered",
    nodes: nodeStates.map((state, index) => ({ name: `node${index + 1}`, state }) as InventoryNode),
    vms: vms.map((vm) => ({
      name: "web1",
      uuid: null,
      resource: null,
      placements: [],
      runningOn: [],
      vcpus: null,
      memoryKiB: null,
      disks: [],
      alarms: [],
      ...vm,
    })),
    failedActions: [],
    constraints: [],
  };
}

describe("observeInventoryFindings", () => {
  it("checks nothing while no node answered for the cluster", () => {
    expect(observeInventoryFindings(inventory(null))).toEqual({ checked: [], findings: [] });
  });

  it("finds nothing on a healthy cluster, and says which kinds it checked", () => {
    const observation = observeInventoryFindings(inventory(healthy));
    expect(observation.findings).toEqual([]);
    expect([...observation.checked].sort()).toEqual(
      [
        "double-run",
        "fencing-disabled",
        "maintenance-mode",
        "no-quorum",
        "persistent-definition",
        "running-outside-pacemaker",
      ].sort(),
    );
  });

  it("turns quorum, maintenance-mode and fencing into cluster findings with their fix", () => {
    const observation = observeInventoryFindings(
      inventory({ ...healthy, quorate: false, maintenanceMode: true, stonithEnabled: false }),
    );
    expect(observation.findings.map((f) => [f.kind, f.severity, f.vm, f.node])).toEqual([
      ["no-quorum", "critical", null, null],
      ["maintenance-mode", "warning", null, null],
      ["fencing-disabled", "critical", null, null],
    ]);
    expect(observation.findings.find((f) => f.kind === "fencing-disabled")?.fix).toEqual([
      "pcs property set stonith-enabled=true",
    ]);
    expect(observation.findings.find((f) => f.kind === "maintenance-mode")?.fix).toEqual([
      "pcs property set maintenance-mode=false",
    ]);
  });

  it("turns each VM alarm into a finding on that VM, keeping its message and fix", () => {
    const observation = observeInventoryFindings(
      inventory(healthy, [
        {
          name: "web1",
          alarms: [
            { kind: "double-run", nodes: ["node1", "node2"], message: "twice", fix: ["a"] },
            { kind: "persistent-definition", nodes: ["node3"], message: "defined", fix: ["b"] },
          ],
        },
        {
          name: "db1",
          alarms: [{ kind: "outside-pacemaker", nodes: ["node2"], message: "outside", fix: ["c"] }],
        },
      ]),
    );
    expect(observation.findings).toEqual([
      {
        kind: "double-run",
        vm: "web1",
        node: null,
        severity: "critical",
        summary: "twice",
        why: expect.any(String),
        fix: ["a"],
      },
      {
        kind: "persistent-definition",
        vm: "web1",
        node: null,
        severity: "warning",
        summary: "defined",
        why: expect.any(String),
        fix: ["b"],
      },
      {
        kind: "running-outside-pacemaker",
        vm: "db1",
        node: null,
        severity: "critical",
        summary: "outside",
        why: expect.any(String),
        fix: ["c"],
      },
    ]);
  });

  it("while a node does not answer, still opens the VM alarms it finds but resolves none", () => {
    const alarm = { kind: "double-run" as const, nodes: ["node1", "node3"], message: "x", fix: [] };
    const observation = observeInventoryFindings(
      inventory(healthy, [{ name: "web1", alarms: [alarm] }], ["online", "unreachable", "online"]),
    );
    expect(observation.findings.map((f) => f.kind)).toEqual(["double-run"]);
    expect([...observation.checked].sort()).toEqual(
      ["fencing-disabled", "maintenance-mode", "no-quorum"].sort(),
    );
  });
});
