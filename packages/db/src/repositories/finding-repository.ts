import { randomUUID } from "node:crypto";
import {
  type Finding,
  type FindingKind,
  type FindingObservation,
  type FindingSeverity,
  type FindingTransition,
  reconcileFindings,
} from "@corral/core";
import type { DbClient, DbTransaction } from "../create-database.ts";
import { CommandLogRepository } from "./command-log-repository.ts";
import { queueFindingNotifications } from "./notification-repository.ts";

/** What one observation changed: the findings it opened and resolved, the messages queued. */
interface FindingChanges {
  opened: Finding[];
  resolved: Finding[];
  /** Notification deliveries queued with them (for the dispatcher to wake up). */
  queued: number;
}

interface FindingFilter {
  clusterId?: string;
  /** open: not resolved; resolved: history. */
  state: "open" | "resolved";
  limit: number;
}

/** How many unresolved findings there are of each kind and severity, per cluster. */
export interface OpenFindingCount {
  clusterId: string;
  kind: FindingKind;
  severity: FindingSeverity;
  count: number;
}

/** Concurrent observers of the same change: the loser's transaction is run again, this often. */
const CONFLICT_RETRIES = 3;

/** The findings of every cluster, open and resolved. */
export class FindingRepository {
  constructor(private readonly db: DbClient) {}

  /**
   * Opens what `observation` found that is not open and resolves what it checked and no longer
   * found, in one transaction with their command-log entries and notification deliveries. When
   * two processes observe the same change, one opens or resolves it and the other changes
   * nothing: the open key is unique, and a resolution only counts where the row was still open.
   */
  async applyObservation(
    clusterId: string,
    observation: FindingObservation,
    now = new Date(),
  ): Promise<FindingChanges> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.db.$transaction((tx) => applyIn(tx, clusterId, observation, now));
      } catch (error) {
        if ((error as { code?: string }).code !== "P2002" || attempt >= CONFLICT_RETRIES) {
          throw error;
        }
      }
    }
  }

  /** Newest first. */
  async list(filter: FindingFilter): Promise<Finding[]> {
    const rows = await this.db.finding.findMany({
      where: {
        clusterId: filter.clusterId,
        resolvedAt: filter.state === "open" ? null : { not: null },
      },
      orderBy: filter.state === "open" ? { openedAt: "desc" } : { resolvedAt: "desc" },
      take: filter.limit,
    });
    return rows.map(toFinding);
  }

  async countOpen(): Promise<OpenFindingCount[]> {
    const groups = await this.db.finding.groupBy({
      by: ["clusterId", "kind", "severity"],
      where: { resolvedAt: null },
      _count: { _all: true },
      orderBy: [{ clusterId: "asc" }, { kind: "asc" }, { severity: "asc" }],
    });
    return groups.map((group) => ({
      clusterId: group.clusterId,
      kind: group.kind as FindingKind,
      severity: group.severity as FindingSeverity,
      count: group._count._all,
    }));
  }

  /**
   * Sets an open finding aside: acknowledged (until null) or snoozed until a time. False when
   * it is no longer open.
   */
  async acknowledge(
    id: string,
    by: { id: string | null; name: string },
    reason: string,
    until: Date | null,
    at = new Date(),
  ): Promise<boolean> {
    const updated = await this.db.finding.updateMany({
      where: { id, resolvedAt: null },
      data: { ackById: by.id, ackByName: by.name, ackReason: reason, ackAt: at, ackUntil: until },
    });
    return updated.count === 1;
  }

  async find(id: string): Promise<Finding | null> {
    const row = await this.db.finding.findUnique({ where: { id } });
    return row ? toFinding(row) : null;
  }
}

async function applyIn(
  tx: DbTransaction,
  clusterId: string,
  observation: FindingObservation,
  now: Date,
): Promise<FindingChanges> {
  const rows = await tx.finding.findMany({ where: { clusterId, resolvedAt: null } });
  const open = rows.map(toFinding);
  const { opened, resolved, unchanged } = reconcileFindings(open, observation, now);
  const changes: FindingChanges = { opened: [], resolved: [], queued: 0 };
  for (const finding of resolved) {
    const closed = await tx.finding.updateMany({
      where: { id: finding.id, resolvedAt: null },
      data: { resolvedAt: finding.resolvedAt, openKey: null },
    });
    if (closed.count === 1) changes.resolved.push(finding);
  }
  for (const observed of opened) {
    const finding: Finding = {
      ...observed,
      id: randomUUID(),
      clusterId,
      resolvedAt: null,
      acknowledgement: null,
    };
    await tx.finding.create({
      data: {
        ...findingDetails(finding),
        id: finding.id,
        clusterId,
        kind: finding.kind,
        vm: finding.vm,
        node: finding.node,
        openKey: openKey(finding),
        openedAt: finding.openedAt,
      },
    });
    changes.opened.push(finding);
  }
  const before = new Map(open.map((finding) => [finding.id, finding]));
  for (const finding of unchanged) {
    const was = before.get(finding.id);
    if (was && JSON.stringify(findingDetails(was)) !== JSON.stringify(findingDetails(finding))) {
      await tx.finding.update({ where: { id: finding.id }, data: findingDetails(finding) });
    }
  }
  const transitions = [
    ...changes.opened.map((finding) => ({ transition: "opened" as const, finding })),
    ...changes.resolved.map((finding) => ({ transition: "resolved" as const, finding })),
  ];
  if (transitions.length === 0) return changes;
  const log = new CommandLogRepository(tx);
  for (const { transition, finding } of transitions) {
    await log.recordAction(findingLogEntry(transition, finding, now));
  }
  const cluster = await tx.cluster.findUnique({ where: { id: clusterId }, select: { name: true } });
  changes.queued = await queueFindingNotifications(
    tx,
    cluster?.name ?? clusterId,
    transitions,
    now,
  );
  return changes;
}

/** The command-log entry of a finding's opening (failed: something is wrong) or resolution. */
function findingLogEntry(transition: FindingTransition, finding: Finding, at: Date) {
  return {
    actorId: null,
    actorName: "Corral",
    action: `finding.${transition}` as const,
    clusterId: finding.clusterId,
    node: finding.node,
    vm: finding.vm,
    detail: { findingId: finding.id, kind: finding.kind, severity: finding.severity },
    ok: transition === "resolved",
    error: finding.summary,
    startedAt: at,
    durationMs: 0,
  };
}

/** What a later observation of the same finding may change. */
function findingDetails(finding: Finding) {
  return {
    severity: finding.severity,
    summary: finding.summary,
    why: finding.why,
    fix: JSON.stringify(finding.fix),
  };
}

function openKey(finding: Finding): string {
  return JSON.stringify([finding.clusterId, finding.kind, finding.vm, finding.node]);
}

function toFinding(row: {
  id: string;
  clusterId: string;
  kind: string;
  vm: string | null;
  node: string | null;
  severity: string;
  summary: string;
  why: string;
  fix: string;
  openedAt: Date;
  resolvedAt: Date | null;
  ackById: string | null;
  ackByName: string | null;
  ackReason: string | null;
  ackAt: Date | null;
  ackUntil: Date | null;
}): Finding {
  return {
    id: row.id,
    clusterId: row.clusterId,
    kind: row.kind as FindingKind,
    vm: row.vm,
    node: row.node,
    severity: row.severity as FindingSeverity,
    summary: row.summary,
    why: row.why,
    fix: JSON.parse(row.fix) as string[],
    openedAt: row.openedAt,
    resolvedAt: row.resolvedAt,
    acknowledgement:
      row.ackByName !== null && row.ackAt !== null
        ? {
            byId: row.ackById,
            byName: row.ackByName,
            reason: row.ackReason ?? "",
            at: row.ackAt,
            until: row.ackUntil,
          }
        : null,
  };
}
