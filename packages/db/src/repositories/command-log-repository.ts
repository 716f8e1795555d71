import {
  type AuditAction,
  COMMAND_OUTPUT_LIMIT,
  type CommandLogSink,
  type CommandRecord,
  cutForLog,
} from "@corral/core";
import type { DbClient, DbTransaction } from "../create-database.ts";
import { redactSecrets } from "./redact-secrets.ts";
import { shortenLoggedValues } from "./shorten-logged-values.ts";

/** Something an operator did through Corral (create a user, move a VM, ...). */
export interface ActionRecord {
  actorId: string | null;
  actorName: string | null;
  /** Dotted name from the one vocabulary (AuditAction): "user.create", "vm.move". */
  action: AuditAction;
  clusterId?: string | null;
  node?: string | null;
  vm?: string | null;
  /** The action's input; secret-looking fields are redacted before storing. */
  detail: Record<string, unknown>;
  ok: boolean;
  /** Why it failed, shown where a command would show its stderr. */
  error?: string;
  startedAt: Date;
  durationMs: number;
}

export type CommandLogKind = "command" | "action";

export interface CommandLogEntry {
  id: string;
  kind: CommandLogKind;
  startedAt: Date;
  actorId: string | null;
  actorName: string | null;
  clusterId: string | null;
  node: string | null;
  vm: string | null;
  action: string | null;
  argv: string[] | null;
  detail: Record<string, unknown> | null;
  ok: boolean;
  exitCode: number | null;
  durationMs: number;
  stdout: string;
  stderr: string;
}

export interface CommandLogFilter {
  clusterId?: string;
  actorId?: string;
  node?: string;
  vm?: string;
  result?: "ok" | "failed";
  kind?: CommandLogKind;
  /** Started at or after / at or before. */
  from?: Date;
  to?: Date;
  /** Leaves out the commands Corral ran on its own (no operator: the watch's reads). */
  hidePolling?: boolean;
}

export interface CommandLogPage {
  entries: CommandLogEntry[];
  /** Pass back as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

/** The values present in the log, for the page's filter choices. */
export interface CommandLogFacets {
  actors: { id: string; name: string }[];
  nodes: string[];
  vms: string[];
}

/**
 * Stores the command log: core's CommandLogSink for node commands, plus operators' actions. A
 * command's record comes as the pool made it (its verdict, its output already cut to size).
 * Given a transaction, its entries are written with the change they record, or not at all.
 */
export class CommandLogRepository implements CommandLogSink {
  constructor(private readonly db: DbClient | DbTransaction) {}

  async record(entry: CommandRecord): Promise<void> {
    const actor = entry.actorId
      ? await this.db.user.findUnique({ where: { id: entry.actorId }, select: { email: true } })
      : null;
    await this.db.commandLogEntry.create({
      data: {
        kind: "command",
        startedAt: entry.startedAt,
        actorId: entry.actorId,
        actorName: actor?.email ?? null,
        clusterId: entry.clusterId,
        node: entry.node,
        vm: entry.vm,
        argv: JSON.stringify(shortenLoggedValues(entry.argv)),
        ok: entry.ok,
        exitCode: entry.exitCode,
        durationMs: Math.round(entry.durationMs),
        stdout: entry.stdout,
        stderr: entry.stderr,
      },
    });
  }

  async recordAction(entry: ActionRecord): Promise<void> {
    await this.db.commandLogEntry.create({
      data: {
        kind: "action",
        startedAt: entry.startedAt,
        actorId: entry.actorId,
        actorName: entry.actorName,
        clusterId: entry.clusterId ?? null,
        node: entry.node ?? null,
        vm: entry.vm ?? null,
        action: entry.action,
        detail: JSON.stringify(shortenLoggedValues(redactSecrets(entry.detail))),
        ok: entry.ok,
        durationMs: Math.round(entry.durationMs),
        stderr: cutForLog(entry.error ?? "", COMMAND_OUTPUT_LIMIT),
      },
    });
  }

  /** Newest first, `limit` per page. */
  async list(
    filter: CommandLogFilter,
    page: { limit: number; cursor?: string | null },
  ): Promise<CommandLogPage> {
    const rows = await this.db.commandLogEntry.findMany({
      where: {
        clusterId: filter.clusterId,
        actorId: filter.actorId,
        node: filter.node,
        vm: filter.vm,
        kind: filter.kind,
        ok: filter.result === undefined ? undefined : filter.result === "ok",
        startedAt: filter.from || filter.to ? { gte: filter.from, lte: filter.to } : undefined,
        ...(filter.hidePolling ? { NOT: { kind: "command", actorId: null } } : {}),
      },
      orderBy: [{ startedAt: "desc" }, { id: "desc" }],
      take: page.limit + 1,
      ...(page.cursor ? { cursor: { id: page.cursor }, skip: 1 } : {}),
    });
    const more = rows.length > page.limit;
    const entries = rows.slice(0, page.limit).map(
      (row): CommandLogEntry => ({
        ...row,
        kind: row.kind as CommandLogKind,
        argv: row.argv === null ? null : (JSON.parse(row.argv) as string[]),
        detail: row.detail === null ? null : (JSON.parse(row.detail) as Record<string, unknown>),
      }),
    );
    return { entries, nextCursor: more ? (entries.at(-1)?.id ?? null) : null };
  }

  async facets(): Promise<CommandLogFacets> {
    const [actors, nodes, vms] = await Promise.all([
      this.db.commandLogEntry.findMany({
        where: { actorId: { not: null } },
        distinct: ["actorId"],
        select: { actorId: true, actorName: true },
        orderBy: { actorId: "asc" },
      }),
      this.db.commandLogEntry.findMany({
        where: { node: { not: null } },
        distinct: ["node"],
        select: { node: true },
        orderBy: { node: "asc" },
      }),
      this.db.commandLogEntry.findMany({
        where: { vm: { not: null } },
        distinct: ["vm"],
        select: { vm: true },
        orderBy: { vm: "asc" },
      }),
    ]);
    return {
      actors: actors.flatMap((row) =>
        row.actorId ? [{ id: row.actorId, name: row.actorName ?? row.actorId }] : [],
      ),
      nodes: nodes.flatMap((row) => (row.node ? [row.node] : [])),
      vms: vms.flatMap((row) => (row.vm ? [row.vm] : [])),
    };
  }
}
