import {
  type Finding,
  type FindingObservation,
  findingKey,
  type ObservedFinding,
} from "./finding.types.ts";

export interface FindingReconciliation {
  /** Observed now and not open, of any kind: opened at `now`, each kind and subject once. */
  opened: (ObservedFinding & { openedAt: Date })[];
  /** Open, of a checked kind, and no longer observed: resolved at `now`. */
  resolved: (Finding & { resolvedAt: Date })[];
  /**
   * Open and still observed (with what the observation now says of it: summary, severity, why,
   * fix), or of a kind this observation did not check (as it was).
   */
  unchanged: Finding[];
}

/**
 * Compares the open findings of a cluster with one observation of it. A finding stays the same
 * finding (same id, same openedAt, acknowledgement kept) while its kind and subject are
 * observed; a new summary or severity updates it rather than reopening it.
 */
export function reconcileFindings(
  open: readonly Finding[],
  observation: FindingObservation,
  now: Date,
): FindingReconciliation {
  const checked = new Set(observation.checked);
  const held = new Set(observation.held ?? []);
  const waits = (finding: ObservedFinding) =>
    finding.vm !== null && held.has(finding.vm) && finding.kind !== "double-run";
  const observed = new Map<string, ObservedFinding>();
  for (const finding of observation.findings) {
    if (!observed.has(findingKey(finding))) observed.set(findingKey(finding), finding);
  }
  const openKeys = new Set(open.map(findingKey));
  const resolved: FindingReconciliation["resolved"] = [];
  const unchanged: Finding[] = [];
  for (const finding of open) {
    const latest = observed.get(findingKey(finding));
    if (latest) unchanged.push({ ...finding, ...latest });
    else if (checked.has(finding.kind) && !waits(finding))
      resolved.push({ ...finding, resolvedAt: now });
    else unchanged.push(finding);
  }
  const opened = [...observed.values()]
    .filter((finding) => !openKeys.has(findingKey(finding)) && !waits(finding))
    .map((finding) => ({ ...finding, openedAt: now }));
  return { opened, resolved, unchanged };
}
