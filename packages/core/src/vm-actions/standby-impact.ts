import type { Inventory } from "../cluster/inventory.types.ts";
import { allowedNodesOf } from "../inventory/parse-location-constraints.ts";
import type { StandbyPlan } from "./simulate-standby.ts";

/** A VM that a standby of its node would leave stopped, and why no other node can take it. */
export interface StrandedVm {
  vm: string;
  resource: string;
  reason: string;
}

/**
 * The VMs running on `node` that Pacemaker could not start anywhere else once it is in standby:
 * every other node is outside the VM's allowed nodes, banned (-INFINITY), or not online.
 */
export function vmsStrandedByStandby(
  inventory: Pick<Inventory, "nodes" | "vms">,
  node: string,
): StrandedVm[] {
  const online = inventory.nodes
    .filter((candidate) => candidate.state === "online" && candidate.name !== node)
    .map((candidate) => candidate.name);
  return inventory.vms.flatMap((vm) => {
    const resource = vm.resource;
    if (!resource?.nodes.includes(node)) return [];
    const allowed = allowedNodesOf(resource.constraints);
    const banned = resource.constraints
      .filter((c) => c.node && c.score === "-INFINITY")
      .map((c) => c.node);
    const elsewhere = online.filter(
      (candidate) => (!allowed || allowed.includes(candidate)) && !banned.includes(candidate),
    );
    if (elsewhere.length > 0) return [];
    const reason = allowed
      ? `it may run only on ${allowed.join(", ")}${allowed.length > 1 ? ", and the others are not online or are banned" : ""}`
      : "no other node is online and free of bans";
    return [{ vm: vm.name, resource: resource.id, reason }];
  });
}

/**
 * Every VM a standby of `node` would leave stopped: those no other node can take by their
 * constraints, and those Pacemaker's own scheduler (the simulated plan, when there is one) says
 * it would stop.
 */
export function vmsStoppedByStandby(
  inventory: Pick<Inventory, "nodes" | "vms">,
  node: string,
  plan: StandbyPlan | null,
): StrandedVm[] {
  const stranded = vmsStrandedByStandby(inventory, node);
  for (const stop of plan?.stops ?? []) {
    const vm = inventory.vms.find((candidate) => candidate.resource?.id === stop.resource);
    if (!vm || stranded.some((entry) => entry.resource === stop.resource)) continue;
    stranded.push({
      vm: vm.name,
      resource: stop.resource,
      reason: `Pacemaker's scheduler would stop it${stop.reason ? ` (${stop.reason})` : ""}`,
    });
  }
  return stranded;
}
