import { setTimeout as sleep } from "node:timers/promises";
import type { RunAgentOptions } from "../agent/run-agent.ts";
import type { ResourceStatus } from "../inventory/parse-crm-mon.ts";
import { isDomainActive, locateDomain } from "../onboarding/locate-domain.ts";
import type { NodeTarget } from "../ssh/node-target.ts";
import type { SshPool } from "../ssh/ssh-pool.ts";
import { isTransitional } from "../vm-actions/move-resource.ts";
import { readClusterStatusFromAny } from "../vm-actions/read-cluster-status.ts";

export interface WhereItRuns {
  /** The nodes whose libvirt has the domain active; null when that could not be read. */
  runningOn: string[] | null;
  /** One sentence for an interrupted operation's record. */
  note: string;
}

/** Where a domain is active now, from every node's libvirt: what recovery tells the operator. */
export async function whereItRuns(
  pool: SshPool,
  nodes: readonly NodeTarget[],
  domain: { name: string; uuid?: string | null },
  options: RunAgentOptions = {},
): Promise<WhereItRuns> {
  const located = await locateDomain(pool, nodes, domain, options);
  if (!located.ok) {
    return {
      runningOn: null,
      note: `Could not check where ${domain.name} runs: ${located.error.message}`,
    };
  }
  const runningOn = located.value.filter((s) => isDomainActive(s.domain)).map((s) => s.node);
  return {
    runningOn,
    note:
      runningOn.length === 0
        ? `${domain.name} runs on no node.`
        : runningOn.length === 1
          ? `${domain.name} runs on ${runningOn[0]} only.`
          : `${domain.name} runs on ${runningOn.join(" and ")}: more than one node (its card shows the alarm and the fix).`,
  };
}

/**
 * Where a resource's domain runs once Pacemaker stopped moving it (no Migrating, Starting or
 * Stopping), or after `timeoutMs` whatever it is doing: a move whose Corral died goes on in
 * Pacemaker, and mid-transfer the target's libvirt already holds the incoming copy.
 */
export async function whereItRunsOnceSettled(
  pool: SshPool,
  nodes: readonly NodeTarget[],
  vm: { resource: string; domain: string },
  options: RunAgentOptions & {
    timeoutMs?: number;
    pollMs?: number;
    signal?: AbortSignal;
    /** What settled means beyond "not moving" (a resource that must have left some nodes). */
    settled?: (resource: ResourceStatus | null) => boolean;
  } = {},
): Promise<WhereItRuns> {
  const { timeoutMs = 300_000, pollMs = 2_000, signal, settled, ...context } = options;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    signal?.throwIfAborted();
    const status = await readClusterStatusFromAny(pool, nodes, context);
    const resource = status.ok
      ? (status.value.resources.find((r) => r.id === vm.resource) ?? null)
      : null;
    if (status.ok && !isTransitional(resource) && (settled?.(resource) ?? true)) break;
    await sleep(pollMs, undefined, { signal });
  }
  return whereItRuns(pool, nodes, { name: vm.domain }, context);
}
