/**
 * How long Corral waits for one crm_mon, per cluster. Its run time grows with the CIB: 4 s for
 * 1,000 VMs on 32 nodes and 13 s for 3,000 on a quiet two-core machine, more under load. A fixed
 * limit would fail every read of a large cluster for good; a long one would let a hung node hold
 * up each read of a small cluster. So each cluster's budget is four times its last run, at
 * least MIN_MS, and doubles (up to MAX_MS) after a run that used all of it.
 */
const MIN_MS = 15_000;
const MAX_MS = 300_000;
const MARGIN = 4;

const budgets = new Map<string, number>();

/** The timeout for the next crm_mon of this cluster (MIN_MS for one not seen yet). */
export function crmMonTimeoutMs(clusterId: string | null | undefined): number {
  return (clusterId && budgets.get(clusterId)) || MIN_MS;
}

/** Learns from one crm_mon run of the cluster: how long it took, or that it ran out of time. */
export function recordCrmMonRun(
  clusterId: string | null | undefined,
  run: { ms: number; timedOut: boolean },
): void {
  if (!clusterId) return;
  const next = run.timedOut ? crmMonTimeoutMs(clusterId) * 2 : run.ms * MARGIN;
  budgets.set(clusterId, Math.min(MAX_MS, Math.max(MIN_MS, next)));
}
