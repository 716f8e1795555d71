import { unknownVm } from "../cluster/build-inventory.ts";
import type {
  ClusterSummary,
  Inventory,
  InventoryNode,
  InventoryVm,
} from "../cluster/inventory.types.ts";
import type { LocationConstraint } from "../inventory/parse-location-constraints.ts";

/** A VM as the inventory has it, with nothing known beyond what the test gives. */
export function testVm(vm: Partial<InventoryVm>): InventoryVm {
  return { ...unknownVm("web1"), ...vm };
}

/** A cluster "lab" of nodes node1..N in the given states, for the pure readers of inventories. */
export function testInventory(parts: {
  summary?: ClusterSummary | null;
  vms?: InventoryVm[];
  nodeStates?: InventoryNode["state"][];
}): Inventory {
  const summary = parts.summary ?? null;
  return {
    clusterId: "c1",
    clusterName: "lab",
    refreshedAt: new Date(0),
    summary,
    statusError: summary ? null : "no node answered",
    nodes: (parts.nodeStates ?? ["online", "online"]).map(
      (state, index) => ({ name: `node${index + 1}`, state }) as InventoryNode,
    ),
    vms: parts.vms ?? [],
    failedActions: [],
    constraints: [],
    migrationPaths: null,
  };
}

/** The rule Corral writes to bind a VM to `nodes` (corral-allowed-VM). */
export function allowedOnly(resource: string, nodes: string[]): LocationConstraint {
  return {
    id: `corral-allowed-${resource}`,
    resource,
    node: null,
    score: "-INFINITY",
    role: null,
    origin: "allowed-nodes",
    hasRules: true,
    allowedNodes: nodes,
  };
}

/** A managed VM (resource of the same name) Started on `node`. */
export function startedVm(
  name: string,
  node: string,
  constraints: LocationConstraint[] = [],
): InventoryVm {
  return { name, resource: { id: name, role: "Started", nodes: [node], constraints } } as never;
}
