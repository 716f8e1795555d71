import type { Inventory } from "../cluster/inventory.types.ts";
import type { ClusterStatus } from "../inventory/parse-crm-mon.ts";
import { resourcesOn } from "../vm-actions/evacuation.ts";
import type { StandbyPlan } from "../vm-actions/simulate-standby.ts";
import { vmsStoppedByStandby } from "../vm-actions/standby-impact.ts";

/** What the gate found before a node is taken out: why not, or what runs there now. */
export type MaintenanceGate =
  | { ok: true; home: string[]; stops: string[] }
  | { ok: false; reason: string };

/**
 * Whether `node` may be taken out now, one node at a time, from Pacemaker's fresh status and
 * its scheduler's plan for the standby: the cluster has quorum and would keep it without the
 * node (a two-node cluster keeps it by corosync's two_node, which pcs sets), every other node is
 * online and not in standby (no second node out at once), nothing runs there outside
 * Pacemaker (a drain would leave it), and every VM on the node has somewhere to go, except
 * those the operator agreed may stop. Pure.
 */
export function judgeMaintenanceGate(input: {
  node: string;
  status: Pick<ClusterStatus, "quorate" | "nodes" | "maintenanceMode">;
  inventory: Pick<Inventory, "nodes" | "vms">;
  plan: StandbyPlan | null;
  stopVms: readonly string[];
}): MaintenanceGate {
  const { node, status } = input;
  const self = status.nodes.find((candidate) => candidate.name === node);
  if (!self) return { ok: false, reason: `${node} is no node of this cluster any more.` };
  if (status.maintenanceMode) {
    return {
      ok: false,
      reason:
        "The cluster is in maintenance mode: Pacemaker would move nothing. Turn it off, then Resume.",
    };
  }
  if (!status.quorate) return { ok: false, reason: "The cluster has no quorum." };
  const others = status.nodes.filter((candidate) => candidate.name !== node);
  const out = others.filter((candidate) => !candidate.online || candidate.standby);
  if (out.length) {
    return {
      ok: false,
      reason: `${out.map((n) => `${n.name} is ${n.online ? "in standby" : "offline"}`).join(", ")}: rolling maintenance takes out one node at a time. Bring ${out.length > 1 ? "them" : "it"} back, then Resume.`,
    };
  }
  const votes = status.nodes.length;
  if (votes > 2 && others.length * 2 <= votes) {
    return {
      ok: false,
      reason: `Without ${node}, ${others.length} of ${votes} nodes would not be a majority: the cluster would lose quorum.`,
    };
  }
  const outside = vmsOutsidePacemaker(input.inventory, node);
  if (outside.length) {
    return {
      ok: false,
      reason: `${outside.join(", ")} ${outside.length > 1 ? "run" : "runs"} on ${node} outside Pacemaker: a drain leaves ${outside.length > 1 ? "them" : "it"} there and the work would take ${outside.length > 1 ? "them" : "it"} down. Shut ${outside.length > 1 ? "them" : "it"} down or move ${outside.length > 1 ? "them" : "it"} (or make ${outside.length > 1 ? "them" : "it"} a resource), then Resume.`,
    };
  }
  const stranded = vmsStoppedByStandby(input.inventory, node, input.plan).filter(
    (entry) => !input.stopVms.includes(entry.resource),
  );
  if (stranded.length) {
    return {
      ok: false,
      reason: `Taking ${node} out would stop ${stranded.map((s) => `${s.resource} (${s.reason})`).join("; ")}. Move ${stranded.length > 1 ? "them" : "it"}, or start again agreeing that ${stranded.length > 1 ? "they stop" : "it stops"}.`,
    };
  }
  const home = resourcesOn(input.inventory, node);
  const stops = input.stopVms.filter((resource) => home.includes(resource));
  return { ok: true, home, stops };
}

/** The domains libvirt runs on `node` that no Pacemaker resource manages: a drain leaves them. */
export function vmsOutsidePacemaker(inventory: Pick<Inventory, "vms">, node: string): string[] {
  return inventory.vms.flatMap((vm) =>
    !vm.resource && vm.runningOn.includes(node) ? [vm.name] : [],
  );
}

/**
 * A node's boot identity: the kernel's boot id and the start time of its PID 1 (in clock ticks
 * since boot). A reboot changes the first; a node whose PID namespace starts again (the lab's
 * power cycle) changes the second. From `cat /proc/sys/kernel/random/boot_id /proc/1/stat`.
 */
export const BOOT_IDENTITY_ARGV = ["cat", "/proc/sys/kernel/random/boot_id", "/proc/1/stat"];

export function parseBootIdentity(stdout: string): string | null {
  const [bootId, stat] = stdout.split("\n");
  // Fields after the command name, which is in parentheses and may hold spaces.
  const fields = stat?.slice(stat.lastIndexOf(")") + 2).split(" ") ?? [];
  // starttime is field 22 of the whole line, the 20th after the name.
  const started = fields[19];
  if (!bootId?.trim() || !started || !/^\d+$/.test(started)) return null;
  return `${bootId.trim()}/${started}`;
}

/**
 * The inventory with each node's state and where each resource runs taken from a fresh crm_mon:
 * the monitor's view can lag a node that just rejoined or a Corral that just started, and a
 * maintenance step decides from where the VMs run now. Pure.
 */
export function withFreshStatus(
  inventory: Pick<Inventory, "nodes" | "vms">,
  status: Pick<ClusterStatus, "nodes" | "resources">,
): Pick<Inventory, "nodes" | "vms"> {
  return {
    nodes: inventory.nodes.map((node) => {
      const fresh = status.nodes.find((candidate) => candidate.name === node.name);
      return fresh ? { ...node, state: fresh.state } : node;
    }),
    vms: inventory.vms.map((vm) => {
      if (!vm.resource) return vm;
      const fresh = status.resources.find((candidate) => candidate.id === vm.resource?.id);
      return {
        ...vm,
        resource: {
          ...vm.resource,
          role: fresh?.role ?? "Stopped",
          nodes: fresh?.nodes ?? [],
        },
      };
    }),
  };
}
