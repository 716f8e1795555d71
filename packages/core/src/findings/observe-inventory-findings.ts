import type {
  ClusterSummary,
  Inventory,
  InventoryNode,
  InventoryVm,
  MigrationPathCheck,
  VmAlarm,
} from "../cluster/inventory.types.ts";
import { isHostKeyFailure } from "../cluster/migration-paths.ts";
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

/**
 * The kinds the live inventory tells, and so resolves when they are gone. Those read from every
 * node's own libvirt or files resolve only when every node answered.
 */
const NODE_KINDS: FindingKind[] = [
  ...Object.values(ALARM_FINDINGS).map((each) => each.kind),
  "autostart-on",
  "config-missing",
  "config-drift",
  "libvirtd-down",
];
const CLUSTER_KINDS: FindingKind[] = [
  "no-quorum",
  "maintenance-mode",
  "fencing-disabled",
  "fence-device-stopped",
  "fencing-failed",
  "stale-constraint",
  "stickiness-zero",
  "unmanaged",
];

/** What the live-migration probe tells; they resolve only after a probe of every path. */
const PATH_KINDS: FindingKind[] = ["host-key-changed", "migration-uri-broken"];

/** Roles in which Pacemaker is moving a VM: its move's own constraint is expected then. */
const MOVING = new Set(["Migrating", "Starting", "Stopping"]);

/** Node states in which Corral does not know which domains the node runs. */
const UNSEEN = new Set(["unreachable", "connecting"]);

/**
 * What the live inventory already knows of the hazards: the VM alarms and the cluster's quorum,
 * maintenance-mode and fencing. Nothing is seen while no node answered for the cluster (no
 * summary): the VMs' placement then is unknown, not fine. While a node does not answer, the VM
 * alarms found still open but none resolves: a copy on that node may still run.
 */
export function observeInventoryFindings(
  inventory: Inventory,
  /** Resources (or VMs) a Corral operation holds now (FindingObservation.held). */
  busy: ReadonlySet<string> = new Set(),
): FindingObservation {
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
  findings.push(
    ...inventory.vms.flatMap((vm) => vmHazards(vm, summary.maintenanceMode)),
    ...inventory.nodes.flatMap(nodeHazards),
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
  // While the fencer has not said which devices fence some node, a node's own finding neither
  // opens nor resolves (the devices' finding still does when it is the one).
  let fencersUnknown = false;
  if (summary.stonithEnabled) {
    const devices = fenceDeviceHazards(cluster, summary.fenceDevices);
    // Every device stopped or none at all is one finding, not one more per node.
    findings.push(...(devices.length ? devices : unfenceableNodes(inventory.nodes)));
    fencersUnknown = !devices.length && inventory.nodes.some((node) => node.fencedBy === null);
  }
  findings.push(...failedFencing(summary.fenceHistory));
  const paths = inventory.migrationPaths;
  if (paths) findings.push(...migrationPathHazards(paths));
  const held = inventory.vms
    .filter((vm) => busy.has(vm.name) || (vm.resource !== null && busy.has(vm.resource.id)))
    .map((vm) => vm.name);
  return {
    checked: [
      ...(everyNodeSeen ? NODE_KINDS : []),
      ...CLUSTER_KINDS.filter((kind) => !(fencersUnknown && kind === "fence-device-stopped")),
      ...(paths?.complete ? PATH_KINDS : []),
    ],
    findings,
    ...(held.length ? { held } : {}),
  };
}

/** What one managed VM's resource, placements and config copies show. */
function vmHazards(vm: InventoryVm, maintenanceMode: boolean): ObservedFinding[] {
  const resource = vm.resource;
  if (!resource) return [];
  const id = resource.id;
  const on = (kind: FindingKind, severity: FindingSeverity, node: string | null) => ({
    kind,
    vm: vm.name,
    node,
    severity,
  });
  const found: ObservedFinding[] = vm.placements
    .filter((placement) => placement.autostart)
    .map((placement) => ({
      ...on("autostart-on", "critical", placement.node),
      summary: `${vm.name} is set to autostart on ${placement.node}.`,
      why: "libvirt starts it there at boot, beside the copy Pacemaker runs elsewhere: a double run.",
      fix: [`ssh ${placement.node} virsh autostart --disable --domain ${vm.name}`],
    }));
  const check = resource.configCheck;
  if (check && !check.identical && resource.configPath) {
    const path = resource.configPath;
    const missing = check.copies.filter((copy) => copy.sha256 === null);
    const source = check.copies.find((copy) => copy.sha256 !== null)?.node;
    for (const copy of missing) {
      found.push({
        ...on("config-missing", "critical", copy.node),
        summary: `${path} is missing on ${copy.node}${copy.problem ? ` (${copy.problem})` : ""}.`,
        why: "VirtualDomain then reports the VM stopped there, so Pacemaker may start a second copy.",
        fix: source
          ? [`ssh ${source} cat -- ${path} | ssh ${copy.node} 'cat > ${path}'`]
          : [`pcs resource config ${id}`],
      });
    }
    if (!missing.length) {
      found.push({
        ...on("config-drift", "warning", null),
        summary: `${vm.name}'s ${path} differs between ${check.copies.map((c) => c.node).join(", ")}.`,
        why: "The VM starts with different disks, memory or devices depending on the node.",
        fix: [
          `Re-sync the config from ${vm.name}'s card (Corral copies it and checks its SHA-256)`,
        ],
      });
    }
  }
  if (resource.stickiness === "0") {
    found.push({
      ...on("stickiness-zero", "warning", null),
      summary: `${id} has resource-stickiness 0.`,
      why: "Pacemaker may move the healthy VM to rebalance whenever another resource or node changes.",
      fix: [`pcs resource meta ${id} resource-stickiness=1`],
    });
  }
  // Maintenance mode leaves every resource unmanaged: its own finding says so once.
  if (resource.isManaged === false || (!resource.managed && !maintenanceMode)) {
    found.push({
      ...on("unmanaged", "warning", null),
      summary: `${id} is unmanaged: Pacemaker neither starts, stops nor recovers it.`,
      why: "A failure of this VM stays down, and a move or standby leaves it where it is.",
      fix: [`pcs resource manage ${id}`],
    });
  }
  // A move Pacemaker carries out now keeps its constraint until it ends.
  if (!MOVING.has(resource.role)) {
    for (const constraint of resource.constraints) {
      if (constraint.origin !== "move" && constraint.origin !== "ban") continue;
      found.push({
        ...on("stale-constraint", "warning", constraint.node),
        summary: `${constraint.id} ${constraint.origin === "move" ? "pins" : "bans"} ${id} ${constraint.origin === "move" ? "to" : "from"} ${constraint.node ?? "nodes by rule"}, left by a pcs resource ${constraint.origin}.`,
        why:
          constraint.origin === "move"
            ? "Pacemaker will not fail the VM over freely while it is pinned."
            : "The VM can never run on that node, even when it is the only one left.",
        fix: [`pcs resource clear ${id}`],
      });
    }
  }
  return found;
}

/** libvirt not answering on a node that Corral reaches. */
function nodeHazards(node: InventoryNode): ObservedFinding[] {
  if (!node.libvirt || node.libvirt.up) return [];
  return [
    {
      kind: "libvirtd-down",
      vm: null,
      node: node.name,
      severity: "critical",
      summary: `libvirt does not answer on ${node.name}${node.libvirt.error ? `: ${node.libvirt.error}` : "."}`,
      why: "VirtualDomain's monitor then times out there, and Pacemaker fences the node.",
      fix: [`ssh ${node.name} systemctl restart libvirtd`],
    },
  ];
}

/** Fencing enabled with no device, or a device Pacemaker does not run. */
function fenceDeviceHazards(
  cluster: string,
  devices: ClusterSummary["fenceDevices"],
): ObservedFinding[] {
  const device = (summary: string, fix: string[]): ObservedFinding => ({
    kind: "fence-device-stopped",
    vm: null,
    node: null,
    severity: "critical",
    summary,
    why: "A node that hangs cannot be fenced, so the cluster stops recovering its VMs.",
    fix,
  });
  if (devices.length === 0) {
    return [
      device(`${cluster} has fencing enabled but no fence device.`, [
        "pcs stonith list",
        "pcs stonith create <id> <agent> pcmk_host_list=<nodes>",
      ]),
    ];
  }
  // One finding per cluster (its subject is the cluster), naming every stopped device.
  const stopped = devices.filter((fence) => !fence.active);
  if (!stopped.length) return [];
  return [
    device(
      `Fence device${stopped.length > 1 ? "s" : ""} ${stopped.map((f) => `${f.id} (${f.agent})`).join(", ")} not started.`,
      stopped.flatMap((f) => [`pcs stonith config ${f.id}`, `pcs resource cleanup ${f.id}`]),
    ),
  ];
}

/**
 * One finding per target node and cause: the nodes that no longer accept its host key, or that
 * cannot reach the URI migrate_to builds for it. Either way Pacemaker's live migration there
 * fails, and it stops and starts the VM instead.
 */
function migrationPathHazards(check: MigrationPathCheck): ObservedFinding[] {
  const byTarget = new Map<
    string,
    { hostKey: boolean; failures: MigrationPathCheck["failures"] }
  >();
  for (const failure of check.failures) {
    const hostKey = isHostKeyFailure(failure.problem);
    const key = `${hostKey}\n${failure.to}`;
    const entry = byTarget.get(key) ?? { hostKey, failures: [] };
    entry.failures.push(failure);
    byTarget.set(key, entry);
  }
  return [...byTarget.values()].map(({ hostKey, failures }) => {
    const to = failures[0]?.to ?? "";
    const from = [...new Set(failures.map((failure) => failure.from))];
    const vms = Math.max(...failures.map((failure) => failure.vms));
    const which = `${vms} VM${vms === 1 ? "" : "s"} with allow-migrate`;
    if (hostKey) {
      return {
        kind: "host-key-changed",
        vm: null,
        node: to,
        severity: "critical",
        summary: `${from.join(", ")} no longer accept${from.length === 1 ? "s" : ""} ${to}'s ssh host key: live migration to ${to} fails (${which}).`,
        why: "A new host key is a reinstalled node or a machine in the middle: compare its fingerprint before trusting it again.",
        fix: [
          `ssh ${to} ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub`,
          ...from.map(
            (source) =>
              `ssh ${source} 'ssh-keygen -R ${to} && ssh -o StrictHostKeyChecking=accept-new ${to} true'`,
          ),
        ],
      };
    }
    return {
      kind: "migration-uri-broken",
      vm: null,
      node: to,
      severity: "warning",
      summary: `Live migration to ${to} fails from ${from.join(", ")} (${which}): ${failures[0]?.problem ?? ""}`,
      why: "Pacemaker then stops the VM and starts it on the target instead: a reboot where a live move was expected.",
      fix: failures.map(
        (failure) => `ssh ${failure.from} virsh --connect ${failure.uri} --quiet uri`,
      ),
    };
  });
}

/**
 * A node whose latest fencing failed: Pacemaker recovers none of its VMs until the node is
 * fenced or an operator confirms it is off. A later success (or the history cleaned) resolves it.
 */
function failedFencing(history: ClusterSummary["fenceHistory"]): ObservedFinding[] {
  const latest = new Map<string, ClusterSummary["fenceHistory"][number]>();
  for (const event of history) if (!latest.has(event.target)) latest.set(event.target, event);
  return [...latest.values()]
    .filter((event) => event.status === "failed")
    .map((event) => ({
      kind: "fencing-failed",
      vm: null,
      node: event.target,
      severity: "critical",
      summary: `Fencing ${event.target} failed${event.completed ? ` at ${event.completed}` : ""}${event.exitReason ? `: ${event.exitReason}` : ""}.`,
      why: "Until the node is fenced or confirmed off, Pacemaker recovers none of the VMs it ran.",
      fix: [
        `stonith_admin --history ${event.target} --verbose`,
        `pcs stonith confirm ${event.target}  # only once ${event.target} is surely powered off`,
        `stonith_admin --cleanup --history ${event.target}`,
      ],
    }));
}

/** Nodes the fencer says no device can fence, while others can be: a hang there is never cut. */
function unfenceableNodes(nodes: readonly InventoryNode[]): ObservedFinding[] {
  return nodes
    .filter((node) => node.fencedBy?.length === 0)
    .map((node) => ({
      kind: "fence-device-stopped",
      vm: null,
      node: node.name,
      severity: "critical",
      summary: `No fence device can fence ${node.name}.`,
      why: "If it hangs it cannot be shut out, so the cluster stops recovering the VMs it ran.",
      fix: [`stonith_admin --list ${node.name}`, "pcs stonith config"],
    }));
}
