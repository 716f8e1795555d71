import type { DbClient } from "../create-database.ts";

/**
 * succeeded: moved as asked (live when live, from Pacemaker's record); restarted: asked live,
 * but Pacemaker stopped and started it (error says why); failed; cancelled; interrupted.
 */
const MIGRATION_RESULTS = [
  "running",
  "succeeded",
  "restarted",
  "failed",
  "cancelled",
  "interrupted",
] as const;
export type MigrationResult = (typeof MIGRATION_RESULTS)[number];

export interface MigrationStart {
  /** Chosen by the caller, so the VM lock can name it before the record exists. */
  id: string;
  clusterId: string;
  vm: string;
  fromNode: string | null;
  toNode: string;
  /** false: stop on the source and start on the target (allow-migrate=false) */
  live: boolean;
  actorId: string | null;
  actorName: string | null;
  startedAt: Date;
}

export interface MigrationEntry extends MigrationStart {
  finishedAt: Date | null;
  durationMs: number | null;
  result: MigrationResult;
  error: string | null;
}

/** The history of moves and live migrations, per VM and per cluster. */
export class MigrationRepository {
  constructor(private readonly db: DbClient) {}

  async start(start: MigrationStart): Promise<MigrationEntry> {
    return toEntry(await this.db.migrationRecord.create({ data: { ...start, result: "running" } }));
  }

  /** A move that is over when Corral learns of it (one Pacemaker made itself). */
  async recordSettled(entry: Omit<MigrationEntry, "id" | "durationMs"> & { id: string }) {
    return toEntry(await this.db.migrationRecord.create({ data: { ...entry, durationMs: null } }));
  }

  /** Settles a running migration; a settled one is left as it is. */
  async finish(
    id: string,
    outcome: { result: Exclude<MigrationResult, "running">; error?: string | null },
    finishedAt = new Date(),
  ): Promise<void> {
    const row = await this.db.migrationRecord.findUnique({ where: { id } });
    if (row?.result !== "running") return;
    await this.db.migrationRecord.updateMany({
      where: { id, result: "running" },
      data: {
        result: outcome.result,
        error: outcome.error ?? null,
        finishedAt,
        durationMs: Math.max(0, finishedAt.getTime() - row.startedAt.getTime()),
      },
    });
  }

  /** What recovery learned later about an interrupted migration (where the VM ended up). */
  async noteInterrupted(id: string, error: string): Promise<void> {
    await this.db.migrationRecord.updateMany({
      where: { id, result: "interrupted" },
      data: { error },
    });
  }

  /**
   * Marks interrupted every migration still "running" that no VM lock holds any more: its
   * server died mid-way. `heldIds` are the operation ids of the locks that are alive.
   */
  async interruptOrphans(heldIds: readonly string[]): Promise<number> {
    const updated = await this.db.migrationRecord.updateMany({
      where: { result: "running", id: { notIn: [...heldIds] } },
      data: { result: "interrupted", error: "Corral stopped while the migration ran." },
    });
    return updated.count;
  }

  /** Newest first. */
  async list(filter: { clusterId: string; vm?: string }, limit = 50): Promise<MigrationEntry[]> {
    const rows = await this.db.migrationRecord.findMany({
      where: { clusterId: filter.clusterId, ...(filter.vm ? { vm: filter.vm } : {}) },
      orderBy: [{ startedAt: "desc" }, { id: "desc" }],
      take: limit,
    });
    return rows.map(toEntry);
  }
}

/** A row as the database holds it: the result column is plain text. */
function toEntry(row: Omit<MigrationEntry, "result"> & { result: string }): MigrationEntry {
  return { ...row, result: toResult(row.result) };
}

function toResult(value: string): MigrationResult {
  return (MIGRATION_RESULTS as readonly string[]).includes(value)
    ? (value as MigrationResult)
    : "failed";
}
