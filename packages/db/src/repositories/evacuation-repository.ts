import type { EvacuationOutcome } from "@corral/core";
import type { DbClient } from "../create-database.ts";

/**
 * running: the drain goes on under its Corral's lease (drainLock); drained: pcs returned and the
 * outcome was read; failed: pcs, a chosen move or the read failed (error says which);
 * interrupted: its Corral stopped renewing the lease before it could record the outcome.
 */
export type EvacuationState = "running" | "drained" | "failed" | "interrupted";

export interface EvacuationEntry {
  id: string;
  clusterId: string;
  node: string;
  actorId: string | null;
  actorName: string | null;
  startedAt: Date;
  finishedAt: Date | null;
  state: EvacuationState;
  /** The resources Pacemaker ran on the node at the click. */
  resources: string[];
  outcome: EvacuationOutcome | null;
  error: string | null;
  returnedAt: Date | null;
}

/** Every drain of a node: what ran there and, once over, where each VM went and how. */
export class EvacuationRepository {
  constructor(private readonly db: DbClient) {}

  async start(start: {
    /** The id its lease names (operationId). */
    id: string;
    clusterId: string;
    node: string;
    actorId: string | null;
    actorName: string | null;
    resources: readonly string[];
  }): Promise<EvacuationEntry> {
    const row = await this.db.evacuation.create({
      data: {
        ...start,
        resources: JSON.stringify(start.resources),
        startedAt: new Date(),
        state: "running",
      },
    });
    return toEntry(row);
  }

  async finish(
    id: string,
    end: { state: "drained" | "failed"; outcome: EvacuationOutcome | null; error: string | null },
  ): Promise<void> {
    await this.db.evacuation.update({
      where: { id },
      data: {
        state: end.state,
        outcome: end.outcome ? JSON.stringify(end.outcome) : null,
        error: end.error,
        finishedAt: new Date(),
      },
    });
  }

  /** A drain whose Corral stopped: it says so; where each VM runs is on its card. */
  async interrupt(id: string): Promise<void> {
    await this.db.evacuation.updateMany({
      where: { id, state: "running" },
      data: {
        state: "interrupted",
        error: "Corral stopped while the node drained: where each VM runs is on its card.",
        finishedAt: new Date(),
      },
    });
  }

  /** Every drain still running, on any instance. */
  async listRunning(): Promise<EvacuationEntry[]> {
    const rows = await this.db.evacuation.findMany({ where: { state: "running" } });
    return rows.map(toEntry);
  }

  async markReturned(id: string): Promise<void> {
    await this.db.evacuation.update({ where: { id }, data: { returnedAt: new Date() } });
  }

  async get(id: string): Promise<EvacuationEntry | null> {
    const row = await this.db.evacuation.findUnique({ where: { id } });
    return row ? toEntry(row) : null;
  }

  /** Each node's latest drain, among the cluster's last `scan` drains. */
  async latestPerNode(clusterId: string, scan = 200): Promise<EvacuationEntry[]> {
    const rows = await this.db.evacuation.findMany({
      where: { clusterId },
      orderBy: [{ startedAt: "desc" }, { id: "desc" }],
      take: scan,
    });
    const seen = new Set<string>();
    return rows.filter((row) => !seen.has(row.node) && seen.add(row.node)).map(toEntry);
  }
}

function toEntry(
  row: Omit<EvacuationEntry, "state" | "resources" | "outcome"> & {
    state: string;
    resources: string;
    outcome: string | null;
  },
): EvacuationEntry {
  return {
    ...row,
    state:
      row.state === "drained" || row.state === "failed" || row.state === "interrupted"
        ? row.state
        : "running",
    resources: JSON.parse(row.resources) as string[],
    outcome: row.outcome ? (JSON.parse(row.outcome) as EvacuationOutcome) : null,
  };
}
