import { z } from "zod";

/**
 * Every hazard Corral watches for, one kind each. The watch that detects a kind decides when it
 * holds; the findings store, the notifications and the metrics only carry it.
 */
export const FINDING_KINDS = [
  "config-missing",
  "config-drift",
  "autostart-on",
  "persistent-definition",
  "running-outside-pacemaker",
  "double-run",
  "libvirtd-down",
  "migration-uri-broken",
  "host-key-changed",
  "stale-constraint",
  "stickiness-zero",
  "unmanaged",
  "maintenance-mode",
  "no-quorum",
  "fencing-disabled",
  "fence-device-stopped",
  "fencing-failed",
] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];
export const findingKindSchema = z.enum(FINDING_KINDS);

/** Least to most urgent: a rule's minimum severity lets through its own and those after it. */
export const FINDING_SEVERITIES = ["info", "warning", "critical"] as const;
export type FindingSeverity = (typeof FINDING_SEVERITIES)[number];
export const findingSeveritySchema = z.enum(FINDING_SEVERITIES);

export function severityAtLeast(severity: FindingSeverity, minimum: FindingSeverity): boolean {
  return FINDING_SEVERITIES.indexOf(severity) >= FINDING_SEVERITIES.indexOf(minimum);
}

/** A hazard as a watch sees it now: what, where, how bad, why it matters, how to fix it. */
export interface ObservedFinding {
  kind: FindingKind;
  /** The VM concerned, if any. */
  vm: string | null;
  /** The node concerned, if any. */
  node: string | null;
  severity: FindingSeverity;
  summary: string;
  /** Why it matters, in one line. */
  why: string;
  /** The exact commands that fix it. */
  fix: string[];
}

/**
 * One pass of a watch over a cluster: what it found, and the kinds it saw in full. Whatever it
 * found opens; only open findings of a kind it saw in full can resolve, so a watch that could
 * not look everywhere (a node not answering) or another watch's kinds never close a finding
 * that may still hold.
 */
export interface FindingObservation {
  checked: readonly FindingKind[];
  findings: ObservedFinding[];
  /**
   * VMs a Corral operation holds now: their findings neither open nor resolve (its own steps
   * pass through such states: a test runs the VM outside Pacemaker, a move pins it), except a
   * double run, which always counts.
   */
  held?: readonly string[];
}

/** Who set an acknowledgement aside, why, and until when (null: until it resolves). */
interface FindingAcknowledgement {
  byId: string | null;
  byName: string;
  reason: string;
  at: Date;
  until: Date | null;
}

/** A finding as stored: opened once, resolved once, with its acknowledgement if any. */
export interface Finding extends ObservedFinding {
  id: string;
  clusterId: string;
  openedAt: Date;
  resolvedAt: Date | null;
  acknowledgement: FindingAcknowledgement | null;
}

/** What makes two observations the same finding: its kind and its subject. */
export function findingKey(finding: Pick<ObservedFinding, "kind" | "vm" | "node">): string {
  return [finding.kind, finding.vm ?? "", finding.node ?? ""].join("\u0000");
}
