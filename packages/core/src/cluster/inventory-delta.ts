// Browser-safe (imports types only): the server diffs, the page applies.
import type { Inventory, InventoryNode, InventoryVm } from "./inventory.types.ts";

/**
 * What changed between two versions of one cluster's inventory. Nodes and VMs travel one by one
 * (only those that changed); the rest of the inventory is small and travels whole when it
 * changed. A node's `lastSeenAt` alone is not a change: it moves on every long-poll answer.
 */
export interface InventoryDelta {
  refreshedAt: Date;
  clusterName?: string;
  summary?: Inventory["summary"];
  statusError?: string | null;
  failedActions?: Inventory["failedActions"];
  constraints?: Inventory["constraints"];
  migrationPaths?: Inventory["migrationPaths"];
  /** The node ids in order, when the set of nodes changed. */
  nodeOrder?: string[];
  nodes?: InventoryNode[];
  vms?: InventoryVm[];
  removedVms?: string[];
}

/** One message of the live stream: a cluster whole, a change to it, or its removal. */
export type InventoryFeedMessage =
  | { kind: "snapshot"; clusterId: string; version: number; inventory: Inventory }
  | { kind: "delta"; clusterId: string; from: number; version: number; delta: InventoryDelta }
  | { kind: "removed"; clusterId: string };

const WHOLE_FIELDS = [
  "clusterName",
  "summary",
  "statusError",
  "failedActions",
  "constraints",
  "migrationPaths",
] as const;

/** What the comparison sees of a node: everything but the time it was last heard from. */
function nodeKey(node: InventoryNode): string {
  return JSON.stringify({ ...node, lastSeenAt: null });
}

/** The change from `before` to `after`, or null when nothing but times moved. */
export function diffInventory(before: Inventory, after: Inventory): InventoryDelta | null {
  const delta: InventoryDelta = { refreshedAt: after.refreshedAt };
  let changed = false;
  for (const field of WHOLE_FIELDS) {
    if (JSON.stringify(before[field]) !== JSON.stringify(after[field])) {
      Object.assign(delta, { [field]: after[field] });
      changed = true;
    }
  }
  const beforeNodes = new Map(before.nodes.map((node) => [node.id, nodeKey(node)]));
  const nodes = after.nodes.filter((node) => beforeNodes.get(node.id) !== nodeKey(node));
  if (nodes.length) delta.nodes = nodes;
  const order = after.nodes.map((node) => node.id);
  if (order.join("\n") !== before.nodes.map((node) => node.id).join("\n")) delta.nodeOrder = order;
  const beforeVms = new Map(before.vms.map((vm) => [vm.name, JSON.stringify(vm)]));
  const vms = after.vms.filter((vm) => beforeVms.get(vm.name) !== JSON.stringify(vm));
  if (vms.length) delta.vms = vms;
  const names = new Set(after.vms.map((vm) => vm.name));
  const removedVms = before.vms.filter((vm) => !names.has(vm.name)).map((vm) => vm.name);
  if (removedVms.length) delta.removedVms = removedVms;
  changed ||= Boolean(delta.nodes || delta.nodeOrder || delta.vms || delta.removedVms);
  return changed ? delta : null;
}

/**
 * `inventory` with `delta` applied. Unchanged nodes and VMs stay the same objects, so a page
 * re-renders only the cards that changed.
 */
export function applyInventoryDelta(inventory: Inventory, delta: InventoryDelta): Inventory {
  const next: Inventory = { ...inventory, refreshedAt: delta.refreshedAt };
  for (const field of WHOLE_FIELDS) {
    if (field in delta) Object.assign(next, { [field]: delta[field] });
  }
  if (delta.nodes || delta.nodeOrder) {
    const byId = new Map(inventory.nodes.map((node) => [node.id, node]));
    for (const node of delta.nodes ?? []) byId.set(node.id, node);
    const order = delta.nodeOrder ?? inventory.nodes.map((node) => node.id);
    next.nodes = order.flatMap((id) => byId.get(id) ?? []);
  }
  if (delta.vms || delta.removedVms) {
    const byName = new Map(inventory.vms.map((vm) => [vm.name, vm]));
    for (const name of delta.removedVms ?? []) byName.delete(name);
    const added = (delta.vms ?? []).filter((vm) => !byName.has(vm.name));
    for (const vm of delta.vms ?? []) byName.set(vm.name, vm);
    const vms = [...byName.values()];
    // buildInventory sorts by name; only a new VM can be out of place.
    next.vms = added.length ? vms.sort((a, b) => a.name.localeCompare(b.name)) : vms;
  }
  return next;
}

/**
 * One answer of the live stream (InventoryFeed.follow: a JSON array of messages, encoded once for
 * every subscriber) as messages, the inventory's dates, which JSON carries as ISO strings, back
 * as Dates.
 */
export function decodeFeedMessages(encoded: string): InventoryFeedMessage[] {
  return (JSON.parse(encoded) as InventoryFeedMessage[]).map(reviveFeedMessage);
}

function reviveFeedMessage(message: InventoryFeedMessage): InventoryFeedMessage {
  const date = (value: unknown) => (typeof value === "string" ? new Date(value) : (value as Date));
  const node = (n: InventoryNode) => {
    n.lastSeenAt = n.lastSeenAt === null ? null : date(n.lastSeenAt);
  };
  if (message.kind === "snapshot") {
    message.inventory.refreshedAt = date(message.inventory.refreshedAt);
    message.inventory.nodes.forEach(node);
  } else if (message.kind === "delta") {
    message.delta.refreshedAt = date(message.delta.refreshedAt);
    message.delta.nodes?.forEach(node);
  }
  return message;
}
