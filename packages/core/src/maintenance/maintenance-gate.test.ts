import { describe, expect, it } from "vitest";
import type { Inventory, InventoryVm } from "../cluster/inventory.types.ts";
import type { ClusterNodeStatus } from "../inventory/parse-crm-mon.ts";
import { allowedOnly, startedVm } from "../testing/inventory-fixtures.ts";
import { judgeMaintenanceGate, parseBootIdentity, withFreshStatus } from "./maintenance-gate.ts";

const node = (name: string, state: Partial<ClusterNodeStatus> = {}) =>
  ({ name, online: true, standby: false, ...state }) as ClusterNodeStatus;

const vms = [startedVm("web1", "node1"), startedVm("db1", "node1"), startedVm("app1", "node2")];

const gate = (
  overrides: {
    nodes?: ClusterNodeStatus[];
    quorate?: boolean;
    maintenanceMode?: boolean;
    vms?: InventoryVm[];
    stopVms?: string[];
  } = {},
) => {
  const nodes = overrides.nodes ?? [node("node1"), node("node2"), node("node3")];
  return judgeMaintenanceGate({
    node: "node1",
    status: {
      quorate: overrides.quorate ?? true,
      maintenanceMode: overrides.maintenanceMode ?? false,
      nodes,
    },
    inventory: {
      nodes: nodes.map((n) => ({ name: n.name, state: n.online ? "online" : "offline" })),
      vms: overrides.vms ?? vms,
    } as unknown as Pick<Inventory, "nodes" | "vms">,
    plan: null,
    stopVms: overrides.stopVms ?? [],
  });
};

describe("judgeMaintenanceGate", () => {
  it("lets a node of a healthy cluster go, naming what runs there", () => {
    expect(gate()).toEqual({ ok: true, home: ["web1", "db1"], stops: [] });
  });

  it("keeps a second node from going out while one is offline or in standby", () => {
    const result = gate({
      nodes: [node("node1"), node("node2", { standby: true }), node("node3")],
    });
    expect(result).toMatchObject({ ok: false });
    expect(!result.ok && result.reason).toContain("node2 is in standby");
    const offline = gate({
      nodes: [node("node1"), node("node2"), node("node3", { online: false })],
    });
    expect(!offline.ok && offline.reason).toContain("node3 is offline");
  });

  it("refuses without quorum, in maintenance mode, and where the rest would not be a majority", () => {
    expect(gate({ quorate: false })).toEqual({ ok: false, reason: "The cluster has no quorum." });
    expect(gate({ maintenanceMode: true })).toMatchObject({ ok: false });
    const four = [node("node1"), node("node2"), node("node3"), node("node4")];
    expect(gate({ nodes: four })).toMatchObject({ ok: true });
    // Two nodes keep quorum by two_node.
    expect(gate({ nodes: [node("node1"), node("node2")] })).toMatchObject({ ok: true });
  });

  it("refuses while libvirt runs a VM there that Pacemaker does not manage", () => {
    const outside = { name: "db2", resource: null, runningOn: ["node1"] } as unknown as InventoryVm;
    const refused = gate({ vms: [...vms, outside] });
    expect(!refused.ok && refused.reason).toContain("db2 runs on node1 outside Pacemaker");
    const elsewhere = { ...outside, runningOn: ["node2"] } as InventoryVm;
    expect(gate({ vms: [...vms, elsewhere] })).toMatchObject({ ok: true });
  });

  it("names a VM that would stop, until the operator agreed that it stops", () => {
    const bound = [...vms, startedVm("local1", "node1", [allowedOnly("local1", ["node1"])])];
    const refused = gate({ vms: bound });
    expect(!refused.ok && refused.reason).toContain("would stop local1 (it may run only on node1)");
    expect(gate({ vms: bound, stopVms: ["local1"] })).toEqual({
      ok: true,
      home: ["web1", "db1", "local1"],
      stops: ["local1"],
    });
  });
});

describe("parseBootIdentity", () => {
  it("is the boot id and PID 1's start time, whatever the command name holds", () => {
    const stat =
      "1 (my init (x)) S 0 0 0 0 -1 4194560 288900 1194544259 0 81920 1117 1370 5229487 569923 20 0 12 0 9 35401728 1928";
    expect(parseBootIdentity(`eee9dbb5-6786-4074-90ef-1c3ac699bdf0\n${stat}\n`)).toBe(
      "eee9dbb5-6786-4074-90ef-1c3ac699bdf0/9",
    );
    expect(parseBootIdentity("")).toBeNull();
    expect(parseBootIdentity("abc\n1 (init) S 0")).toBeNull();
  });
});

describe("withFreshStatus", () => {
  it("takes node states and where each resource runs from crm_mon, the rest from the inventory", () => {
    const inventory = {
      nodes: [
        { name: "node1", state: "online", host: "h1" },
        { name: "node2", state: "online" },
      ],
      vms: [
        startedVm("web1", "node1"),
        startedVm("db1", "node1"),
        { name: "plain", resource: null },
      ],
    } as unknown as Pick<Inventory, "nodes" | "vms">;
    const fresh = withFreshStatus(inventory, {
      nodes: [{ name: "node1", state: "standby" } as ClusterNodeStatus],
      resources: [{ id: "web1", role: "Started", nodes: ["node2"] }] as never,
    });
    expect(fresh.nodes).toEqual([
      { name: "node1", state: "standby", host: "h1" },
      { name: "node2", state: "online" },
    ]);
    expect(fresh.vms.map((v) => [v.name, v.resource?.role, v.resource?.nodes])).toEqual([
      ["web1", "Started", ["node2"]],
      ["db1", "Stopped", []],
      ["plain", undefined, undefined],
    ]);
  });
});
