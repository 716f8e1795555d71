import type { Domain } from "../agent/agent-protocol.ts";
import type { FailCount, FailedAction, FenceEvent, NodeState } from "../inventory/parse-crm-mon.ts";
import type { LocationConstraint } from "../inventory/parse-location-constraints.ts";
import type { HostKey } from "../ssh/host-key.ts";
import type { NodeProblem, NodeVersions } from "./registered-cluster.ts";

/**
 * What a node card shows. Pacemaker's own view (NodeState, from crm_mon) when Corral reaches
 * the node and Pacemaker runs there; otherwise why not.
 */
export type NodeCardState = NodeState | "pacemaker-stopped" | "unreachable" | "connecting";

export interface InventoryNode {
  id: string;
  name: string;
  host: string;
  port: number;
  username: string;
  hostKey: HostKey;
  /** A different key the node presented: the card shows both and an admin may replace the pin. */
  presentedHostKey: HostKey | null;
  agentVersion: string | null;
  versions: NodeVersions | null;
  lastSeenAt: Date | null;
  state: NodeCardState;
  isDc: boolean;
  error: NodeProblem | null;
  /** libvirt as the node's watch last found it; null: not heard from yet. */
  libvirt: { up: boolean; error: string | null } | null;
  /** The fence devices that can fence it, as the fencer says; null: not asked yet. */
  fencedBy: string[] | null;
}

/** Where a VM is defined or running, node by node, in virsh's words. */
export interface VmPlacement {
  node: string;
  state: string;
  persistent: boolean;
  autostart: boolean;
}

export interface VmResource {
  id: string;
  role: string;
  active: boolean;
  failed: boolean;
  /** Whether Pacemaker manages it now, as crm_mon says (false in maintenance mode too). */
  managed: boolean;
  /**
   * The is-managed meta attribute as configured: false after `pcs resource unmanage`, whatever
   * maintenance mode does. null: the configuration was not read yet.
   */
  isManaged: boolean | null;
  /** "Stopped" when disabled (pcs resource disable); null when no target-role is set. */
  targetRole: string | null;
  /** No longer in the configuration: Pacemaker only stops it. */
  orphaned: boolean;
  /** Where Pacemaker says it runs. */
  nodes: string[];
  /** Location constraints on it, including leftovers of move (cli-prefer-) and ban (cli-ban-). */
  constraints: LocationConstraint[];
  failCounts: FailCount[];
  /** Pacemaker's failed operations of it (crm_mon failures), with exit reasons and when. */
  failedActions: FailedAction[];
  /**
   * The resource-stickiness pacemaker applies to it; at "0" pacemaker may move the healthy VM
   * to rebalance whenever another resource or node changes. null when no node could tell.
   */
  stickiness: string | null;
  /** Why Corral could not tell which domain the resource runs, when it could not. */
  problem: string | null;
  /** The domain XML VirtualDomain starts the VM from (the `config` parameter). */
  configPath: string | null;
  /** allow-migrate: live migration, else a move is a stop and a start. null: not read yet. */
  allowMigrate: boolean | null;
  /**
   * The nodes Corral's allowed-nodes constraint leaves it (`allowedNodesOf`); null: no such
   * constraint, any node may run it.
   */
  allowedNodes: string[] | null;
  /** The config file across the online allowed nodes, as last hashed; null: not yet. */
  configCheck: VmConfigCheck | null;
}

/** Whether every online node holds the same copy of a VM's config file. */
export interface VmConfigCheck {
  identical: boolean;
  /** Each online node's copy, only when they are not identical (a drift to show). */
  copies: { node: string; sha256: string | null; problem: string | null }[];
}

export interface InventoryVm {
  name: string;
  uuid: string | null;
  /** The VirtualDomain resource managing it; null: not managed yet (can be onboarded). */
  resource: VmResource | null;
  placements: VmPlacement[];
  runningOn: string[];
  vcpus: number | null;
  memoryKiB: number | null;
  disks: Domain["disks"];
  /** What must never be true of a managed VM (running twice, outside Pacemaker, defined). */
  alarms: VmAlarm[];
}

export interface ClusterSummary {
  quorate: boolean;
  dc: string | null;
  maintenanceMode: boolean;
  stonithEnabled: boolean;
  lastChange: string | null;
  /** The fence devices (stonith: resources) and where Pacemaker runs them. */
  fenceDevices: { id: string; agent: string; active: boolean; nodes: string[] }[];
  /** The fencer's latest events, newest first (at most FENCE_HISTORY_KEPT). */
  fenceHistory: FenceEvent[];
}

/** How many fence events the inventory keeps: the recent ones, not a log. */
export const FENCE_HISTORY_KEPT = 20;

/** One cluster's live picture: what the pages render and the subscription streams. */
export interface Inventory {
  clusterId: string;
  clusterName: string;
  refreshedAt: Date;
  /** null when no node could answer for the cluster; statusError says why. */
  summary: ClusterSummary | null;
  statusError: string | null;
  nodes: InventoryNode[];
  vms: InventoryVm[];
  failedActions: FailedAction[];
  constraints: LocationConstraint[];
  /** The live-migration paths as last probed; null: not probed yet. */
  migrationPaths: MigrationPathCheck | null;
}

/**
 * The periodic probe of every live-migration path (each allowed node to each other, the URI
 * migrate_to builds): only the failures travel, so its size follows the problems, not N².
 */
export interface MigrationPathCheck {
  /** Since when the probes found this: a probe with the same outcome changes nothing. */
  since: Date;
  /** Every path between allowed nodes was probed: its failures are all there are. */
  complete: boolean;
  probed: number;
  /** `vms`: how many VMs with allow-migrate may take that path. */
  failures: { from: string; to: string; uri: string; vms: number; problem: string }[];
}

/**
 * What must never be true of a managed VM, each with the nodes concerned and the commands that
 * resolve it. A double run corrupts the VM's disks; a copy Pacemaker does not place runs outside
 * its control; a persistent definition is one `virsh start` (or autostart) away from a double run.
 */
export interface VmAlarm {
  kind: "double-run" | "outside-pacemaker" | "persistent-definition";
  nodes: string[];
  message: string;
  fix: string[];
}
