import { setTimeout as sleep } from "node:timers/promises";
import { AppError } from "../errors.ts";
import type { ClusterStatus, FailedAction, ResourceStatus } from "../inventory/parse-crm-mon.ts";
import type { Result } from "../result.ts";
import type { NodeTarget } from "../ssh/node-target.ts";
import type { CommandContext, SshPool } from "../ssh/ssh-pool.ts";
import { readClusterStatusFromAny } from "./read-cluster-status.ts";

export interface ResourceRoleWait {
  resource: string;
  /** Pacemaker's role name: "Started", "Stopped", "Migrating", "Promoted", ... */
  role: string;
  /** When given, the resource must have that role on this node (and on no other). */
  node?: string;
  timeoutMs: number;
  pollMs?: number;
  /** Ends the wait early, answered like a timeout (with the last sighting). */
  signal?: AbortSignal;
  /** Every status read, for callers that draw progress. */
  onStatus?: (status: ClusterStatus) => void;
}

/** What pacemaker last said about the resource. */
export interface ResourceSighting {
  /** null: the resource is not in the status (not created yet, or deleted). */
  resource: ResourceStatus | null;
  failedActions: FailedAction[];
  at: Date;
  /** From the first poll to this sighting. */
  waitedMs: number;
}

/**
 * The outcome with what was last seen either way: on a timeout `lastSeen` says where the resource
 * got stuck (null when no node answered at all).
 */
export type ResourceRoleOutcome = Result<ResourceSighting> & { lastSeen: ResourceSighting | null };

/**
 * Polls `crm_mon` through the pool until pacemaker reports `resource` in `role` (on `node`),
 * asking the given nodes in order and moving on when one does not answer, so a node going away
 * mid-wait (the node being left, fenced or put in standby) does not end the wait.
 */
export async function waitForResourceRole(
  pool: SshPool,
  nodes: readonly NodeTarget[],
  wait: ResourceRoleWait,
  context: CommandContext = {},
): Promise<ResourceRoleOutcome> {
  const began = Date.now();
  const deadline = began + wait.timeoutMs;
  let lastSeen: ResourceSighting | null = null;
  let lastError: AppError | null = null;
  for (;;) {
    const status = await readClusterStatusFromAny(pool, nodes, context);
    if (status.ok) {
      wait.onStatus?.(status.value);
      lastSeen = sighting(status.value, wait.resource, began);
      if (hasRole(lastSeen.resource, wait)) return { ok: true, value: lastSeen, lastSeen };
    } else {
      lastError = status.error;
    }
    if (Date.now() >= deadline || wait.signal?.aborted) break;
    await sleep(Math.min(wait.pollMs ?? 500, Math.max(0, deadline - Date.now())));
  }
  const where = wait.node ? ` on ${wait.node}` : "";
  const seen = lastSeen ? describeSighting(lastSeen) : `no node answered (${lastError?.message})`;
  const error = new AppError(
    "COMMAND_TIMEOUT",
    `${wait.resource} did not reach ${wait.role}${where} within ${Math.round(wait.timeoutMs / 1000)} s; last seen: ${seen}.`,
  );
  return { ok: false, error, lastSeen };
}

function hasRole(resource: ResourceStatus | null, wait: ResourceRoleWait): boolean {
  if (wait.role === "Stopped") {
    // A stopped resource is listed without nodes (or not active at all).
    return (
      resource !== null && !resource.active && (!wait.node || !resource.nodes.includes(wait.node))
    );
  }
  if (!resource || resource.role !== wait.role) return false;
  return !wait.node || (resource.nodes.length === 1 && resource.nodes[0] === wait.node);
}

function sighting(status: ClusterStatus, resource: string, began: number): ResourceSighting {
  return {
    resource: status.resources.find((candidate) => candidate.id === resource) ?? null,
    failedActions: status.failedActions.filter((action) => action.resource === resource),
    at: new Date(),
    waitedMs: Date.now() - began,
  };
}

export function describeSighting(seen: ResourceSighting): string {
  if (!seen.resource) return "not in the cluster status";
  const { role, nodes, failed } = seen.resource;
  const where = nodes.length ? ` on ${nodes.join(", ")}` : "";
  const failures = seen.failedActions.map(
    (action) =>
      `${action.operation} failed on ${action.node}: ${action.exitReason || action.exitStatus}`,
  );
  return `${role}${where}${failed ? " (failed)" : ""}${failures.length ? `; ${failures.join("; ")}` : ""}`;
}
