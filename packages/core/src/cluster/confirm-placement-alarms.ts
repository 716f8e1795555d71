import type { Inventory, VmAlarm } from "./inventory.types.ts";

/**
 * The alarms that claim where libvirt runs a VM against Pacemaker's placement. Each node's
 * domains are read at their own moment (on that node's change), so at a live migration's
 * switch-over one inventory can hold the target's new "running" beside the source's answer from
 * a second before, with crm_mon already saying Started: a VM "on two nodes" that never was.
 */
const PLACEMENT_KINDS: ReadonlySet<VmAlarm["kind"]> = new Set(["double-run", "outside-pacemaker"]);

/** A placement alarm as its VM, kind and nodes: the same claim seen again has the same key. */
export interface PlacementClaim {
  key: string;
  vm: string;
  nodes: string[];
}

export interface PlacementReview {
  /** The inventory with every claim not yet confirmed left out. */
  published: Inventory;
  /** The confirmed claims still made: a claim that went away must be confirmed again. */
  confirmed: Set<string>;
  /** New claims: their nodes' domains to be read again. */
  toConfirm: PlacementClaim[];
}

/**
 * Publishes a placement alarm only once a read made after it was first seen still shows it:
 * the nodes it names answer again (and a status read under way by then has ended). A claim
 * being confirmed is neither published nor confirmed twice. Pure: the monitor does the reads.
 */
export function reviewPlacementAlarms(
  inventory: Inventory,
  confirmed: ReadonlySet<string>,
  confirming: ReadonlySet<string>,
): PlacementReview {
  const stillConfirmed = new Set<string>();
  const toConfirm: PlacementClaim[] = [];
  const vms = inventory.vms.map((vm) => {
    const alarms = vm.alarms.filter((alarm) => {
      if (!PLACEMENT_KINDS.has(alarm.kind)) return true;
      const nodes = [...alarm.nodes].sort();
      const key = `${vm.name}|${alarm.kind}|${nodes.join(",")}`;
      if (confirmed.has(key)) {
        stillConfirmed.add(key);
        return true;
      }
      if (!confirming.has(key)) toConfirm.push({ key, vm: vm.name, nodes });
      return false;
    });
    return alarms.length === vm.alarms.length ? vm : { ...vm, alarms };
  });
  return { published: { ...inventory, vms }, confirmed: stillConfirmed, toConfirm };
}
