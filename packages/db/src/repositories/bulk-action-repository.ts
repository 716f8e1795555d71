import type { BulkState } from "@corral/core";
import type { DbClient } from "../create-database.ts";

/** Bulk actions: each one's whole state, written by the Corral that holds its lease. */
export class BulkActionRepository {
  constructor(private readonly db: DbClient) {}

  async save(state: BulkState): Promise<void> {
    const data = { status: state.status, state: JSON.stringify(state), updatedAt: new Date() };
    await this.db.bulkAction.upsert({
      where: { id: state.id },
      create: {
        ...data,
        id: state.id,
        clusterId: state.clusterId,
        startedAt: new Date(state.startedAt),
      },
      update: data,
    });
  }

  async get(id: string): Promise<BulkState | null> {
    const row = await this.db.bulkAction.findUnique({ where: { id } });
    return row ? (JSON.parse(row.state) as BulkState) : null;
  }

  /** The cluster's latest bulk action, over or not. */
  async latest(clusterId: string): Promise<BulkState | null> {
    const row = await this.db.bulkAction.findFirst({
      where: { clusterId },
      orderBy: [{ startedAt: "desc" }, { id: "desc" }],
    });
    return row ? (JSON.parse(row.state) as BulkState) : null;
  }

  /** Every bulk action a Corral is working, by its record. */
  async listRunning(): Promise<BulkState[]> {
    const rows = await this.db.bulkAction.findMany({ where: { status: "running" } });
    return rows.map((row) => JSON.parse(row.state) as BulkState);
  }
}
