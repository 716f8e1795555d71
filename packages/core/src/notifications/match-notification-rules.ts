import { type Finding, severityAtLeast } from "../findings/finding.types.ts";
import type { NotificationRule } from "./notification.types.ts";

/**
 * The channels a finding's opening or resolution goes to: those of every enabled rule that
 * takes its kind, its severity and its cluster, each channel once however many rules name it.
 */
export function channelsForFinding(
  rules: readonly NotificationRule[],
  finding: Pick<Finding, "kind" | "severity" | "clusterId">,
): string[] {
  const channels = new Set<string>();
  for (const rule of rules) {
    if (!rule.enabled) continue;
    if (rule.kinds.length > 0 && !rule.kinds.includes(finding.kind)) continue;
    if (!severityAtLeast(finding.severity, rule.minSeverity)) continue;
    if (rule.clusterIds.length > 0 && !rule.clusterIds.includes(finding.clusterId)) continue;
    for (const channel of rule.channelIds) channels.add(channel);
  }
  return [...channels];
}
