import type { Inventory, VmAlarm } from "../cluster/inventory.types.ts";
import type {
  FindingKind,
  FindingObservation,
  FindingSeverity,
  ObservedFinding,
} from "./finding.types.ts";

const ALARM_FINDINGS: Record<
  VmAlarm["kind"],
  { kind: FindingKind; severity: FindingSeverity; why: string }
> = {
  "double-run": {
    kind: "double-run",
    severity: "critical",
    why: "Two copies write to the same disks: the guest's filesystems are being corrupted.",
  },
  "outside-pacemaker": {
    kind: "running-outside-pacemaker",
    severity: "critical",
    why: "Pacemaker does not count this copy: it may start another one elsewhere, a double run.",
  },
  "persistent-definition": {
    kind: "persistent-definition",
    severity: "warning",
    why: "One virsh start or autostart on that node runs a second copy beside Pacemaker's.",
  },
};

/** The kinds the live inventory tells, and so resolves when they are gone. */
const VM_ALARM_KINDS = Object.values(ALARM_FINDINGS).map((each) => each.kind);
const CLUSTER_KINDS: FindingKind[] = ["no-quorum", "maintenance-mode", "fencing-disabled"];

/** Node states in which Corral does not know which domains the node runs. */
const UNSEEN = new Set(["unreachable", "connecting"]);

/**
 * What the live inventory already knows of the hazards: the VM alarms and the cluster's quorum,
 * maintenance-mode and fencing. Nothing is seen while no node answered for the cluster (no
 * summary): the VMs' placement then is unknown, not fine. While a node does not answer, the VM
 * alarms found still open but none resolves: a copy on that node may still run.
 */
export function observeInventoryFindings(inventory: Inventory): FindingObservation {
  const summary = inventory.summary;
  if (!summary) return { checked: [], findings: [] };
  const everyNodeSeen = inventory.nodes.every((node) => !UNSEEN.has(node.state));
  const findings: ObservedFinding[] = inventory.vms.flatMap((vm) =>
    vm.alarms.map((alarm) => ({
      ...ALARM_FINDINGS[alarm.kind],
      vm: vm.name,
      node: null,
      summary: alarm.message,
      fix: alarm.fix,
    })),
  );
  const cluster = inventory.clusterName;
  if (!summary.quorate) {
    findings.push({
      kind: "no-quorum",
      vm: null,
      node: null,
      severity: "critical",
      summary: `${cluster} has no quorum${summary.dc ? ` (as seen from ${summary.dc})` : ""}.`,
      why: "Without quorum the partition stops its resources and fencing decides which nodes stay.",
      fix: ["corosync-quorumtool -s", "pcs cluster start --all"],
    });
  }
  if (summary.maintenanceMode) {
    findings.push({
      kind: "maintenance-mode",
      vm: null,
      node: null,
      severity: "warning",
      summary: `${cluster} is in maintenance mode.`,
      why: "Pacemaker neither starts, stops nor monitors any resource: a failed VM stays down.",
      fix: ["pcs property set maintenance-mode=false"],
    });
  }
  if (!summary.stonithEnabled) {
    findings.push({
      kind: "fencing-disabled",
      vm: null,
      node: null,
      severity: "critical",
      summary: `Fencing is disabled on ${cluster} (stonith-enabled=false).`,
      why: "A hung node cannot be shut out, so its VMs may be started again elsewhere: a double run.",
      fix: ["pcs property set stonith-enabled=true"],
    });
  }
  return { checked: [...(everyNodeSeen ? VM_ALARM_KINDS : []), ...CLUSTER_KINDS], findings };
}
