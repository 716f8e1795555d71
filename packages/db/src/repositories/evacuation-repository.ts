import type { EvacuationOutcome } from "@corral/core";
import type { DbClient } from "../create-database.ts";

/**
 * running: pcs drains the node; drained: pcs returned and the outcome was read; failed: pcs or
 * the read failed (error says which); interrupted: still running past EVACUATION_STALE_MS, so
 * its Corral stopped before it could record the outcome.
 */
export type EvacuationState = "running" | "drained" | "failed" | "interrupted";

/**
 * pcs's own wait bounds each step of a drain (--wait=180: the standby, and each move the
 * operator chose before it, at most one per resource) and reading the outcome takes seconds: a
 * drain still running after this per step was left by a Corral that stopped. Where the VMs run
 * then is on their cards, from the live inventory.
 */
export const EVACUATION_STALE_MS = 300_000;

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
  const resources = JSON.parse(row.resources) as string[];
  const stale =
    row.state === "running" &&
    Date.now() - row.startedAt.getTime() > EVACUATION_STALE_MS * (1 + resources.length);
  return {
    ...row,
    state: stale
      ? "interrupted"
      : row.state === "drained" || row.state === "failed"
        ? row.state
        : "running",
    resources,
    outcome: row.outcome ? (JSON.parse(row.outcome) as EvacuationOutcome) : null,
    error: stale
      ? "Corral stopped while the node drained: where each VM runs is on its card."
      : row.error,
  };
}
