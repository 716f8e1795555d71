import type { Domain } from "../agent/agent-protocol.ts";
import { type ClusterStatus, isVirtualDomain } from "../inventory/parse-crm-mon.ts";
import {
  allowedNodesOf,
  type LocationConstraint,
} from "../inventory/parse-location-constraints.ts";
import { checkConfigCopies } from "./check-config-copies.ts";
import { findVmAlarms } from "./find-vm-alarms.ts";
import type { FileHash } from "./hash-config-files.ts";
import {
  FENCE_HISTORY_KEPT,
  type Inventory,
  type InventoryNode,
  type InventoryVm,
  type MigrationPathCheck,
  type NodeCardState,
} from "./inventory.types.ts";
import type { DomainResource } from "./list-domain-resources.ts";
import type { NodeProblem, RegisteredCluster, RegisteredNode } from "./registered-cluster.ts";

/** What Corral last heard from one node. */
export interface NodeLiveState {
  /** null: not contacted yet since start. */
  reachable: boolean | null;
  error: NodeProblem | null;
  pacemakerUp: boolean | null;
  domains: Domain[] | null;
  seenAt: Date | null;
  /** libvirt as the node's watch reports it (virsh answering or not). */
  libvirt?: { up: boolean; error: string | null } | null;
}

export interface InventorySources {
  cluster: RegisteredCluster;
  status: ClusterStatus | null;
  statusError: string | null;
  constraints: LocationConstraint[];
  resources: DomainResource[];
  /** By node id. */
  live: ReadonlyMap<string, NodeLiveState>;
  /** Each node's hashes of the resources' config files, by node name, then path. */
  configHashes?: ReadonlyMap<string, ReadonlyMap<string, FileHash>>;
  migrationPaths?: MigrationPathCheck | null;
  /** By node name, the fence devices that can fence it. */
  fencers?: ReadonlyMap<string, string[]>;
  refreshedAt: Date;
}

/**
 * Merges Pacemaker's view (crm_mon, constraints, which domain each VirtualDomain resource runs)
 * with each node's libvirt view into one model: which VMs are resources and which are not yet,
 * and where each is defined or running. Pure, so it is tested on recorded output.
 */
export function buildInventory(sources: InventorySources): Inventory {
  const { cluster, status } = sources;
  const nodes = cluster.nodes.map((node) => toInventoryNode(node, sources));
  const online = nodes.filter((node) => node.state === "online").map((node) => node.name);
  return {
    clusterId: cluster.id,
    clusterName: cluster.name,
    refreshedAt: sources.refreshedAt,
    summary: status
      ? {
          quorate: status.quorate,
          dc: status.dc,
          maintenanceMode: status.maintenanceMode,
          stonithEnabled: status.stonithEnabled,
          lastChange: status.lastChange,
          fenceDevices: status.resources
            .filter((resource) => resource.agent.startsWith("stonith:"))
            .map(({ id, agent, active, nodes }) => ({ id, agent, active, nodes })),
          fenceHistory: status.fenceHistory.slice(0, FENCE_HISTORY_KEPT),
        }
      : null,
    statusError: sources.statusError,
    nodes,
    vms: buildVms(sources, online),
    failedActions: status?.failedActions ?? [],
    constraints: sources.constraints,
    migrationPaths: sources.migrationPaths ?? null,
  };
}

function toInventoryNode(node: RegisteredNode, sources: InventorySources): InventoryNode {
  const live = sources.live.get(node.id);
  const pacemakerView = sources.status?.nodes.find((status) => status.name === node.name);
  let state: NodeCardState;
  if (!live || live.reachable === null) state = "connecting";
  else if (!live.reachable) state = "unreachable";
  else if (live.pacemakerUp === false) state = "pacemaker-stopped";
  else state = pacemakerView?.state ?? "pending";
  return {
    id: node.id,
    name: node.name,
    host: node.host,
    port: node.port,
    username: node.username,
    hostKey: node.hostKey,
    presentedHostKey: node.presentedHostKey,
    agentVersion: node.agentVersion,
    versions: node.versions,
    lastSeenAt: live?.seenAt ?? node.lastSeenAt,
    state,
    isDc: pacemakerView?.isDc ?? false,
    // What the monitor heard last wins over what an earlier process stored.
    error: live ? live.error : node.lastError,
    libvirt: live?.reachable ? (live.libvirt ?? null) : null,
    fencedBy: sources.fencers?.get(node.name) ?? null,
  };
}

/** A VM by name before anything is known of it: the sources fill it in. */
export function unknownVm(name: string): InventoryVm {
  return {
    name,
    uuid: null,
    resource: null,
    placements: [],
    runningOn: [],
    vcpus: null,
    memoryKiB: null,
    disks: [],
    alarms: [],
  };
}

function buildVms(sources: InventorySources, online: readonly string[]): InventoryVm[] {
  const { cluster, status } = sources;
  const byName = new Map<string, InventoryVm>();
  const vm = (name: string): InventoryVm => {
    let found = byName.get(name);
    if (!found) {
      found = unknownVm(name);
      byName.set(name, found);
    }
    return found;
  };

  for (const node of cluster.nodes) {
    for (const domain of sources.live.get(node.id)?.domains ?? []) {
      const entry = vm(domain.name);
      entry.uuid ??= domain.uuid;
      entry.vcpus ??= domain.vcpus;
      entry.memoryKiB ??= domain.memoryKiB;
      if (entry.disks.length === 0) entry.disks = domain.disks;
      entry.placements.push({
        node: node.name,
        state: domain.state,
        persistent: domain.persistent,
        autostart: domain.autostart,
      });
      if (domain.state === "running" || domain.state === "paused") entry.runningOn.push(node.name);
    }
  }

  const configured = new Map(sources.resources.map((resource) => [resource.id, resource]));
  for (const resource of status?.resources ?? []) {
    if (!isVirtualDomain(resource.agent)) continue;
    const mapping = configured.get(resource.id);
    // Without a readable config the resource id is the best guess: pcs users name them so.
    const entry = vm(mapping?.domain ?? resource.id);
    if (mapping?.uuid) entry.uuid = mapping.uuid;
    if (entry.resource?.id === resource.id) {
      // Another instance of the same cloned resource: where it runs adds to the first's.
      entry.resource.nodes = [...new Set([...entry.resource.nodes, ...resource.nodes])];
      entry.resource.active ||= resource.active;
      entry.resource.failed ||= resource.failed;
      continue;
    }
    const constraints = sources.constraints.filter((c) => c.resource === resource.id);
    const allowedNodes = allowedNodesOf(constraints);
    entry.resource = {
      id: resource.id,
      role: resource.role,
      active: resource.active,
      failed: resource.failed,
      managed: resource.managed,
      isManaged: mapping?.managed ?? null,
      targetRole: resource.targetRole,
      orphaned: resource.orphaned,
      nodes: resource.nodes,
      constraints,
      allowedNodes,
      failCounts: status?.failCounts.filter((count) => count.resource === resource.id) ?? [],
      failedActions:
        status?.failedActions.filter((action) => action.resource === resource.id) ?? [],
      stickiness: mapping?.stickiness ?? null,
      problem: mapping?.problem ?? null,
      configPath: mapping?.config ?? null,
      allowMigrate: mapping?.allowMigrate ?? null,
      // Only where the VM may run: a node it is kept off needs no copy.
      configCheck: mapping?.config
        ? checkConfigCopies(
            mapping.config,
            allowedNodes ? online.filter((node) => allowedNodes.includes(node)) : online,
            sources.configHashes ?? new Map(),
          )
        : null,
    };
  }
  for (const entry of byName.values()) entry.alarms = findVmAlarms(entry);
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}
