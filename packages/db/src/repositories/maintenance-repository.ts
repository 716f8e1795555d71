import type { MaintenanceState } from "@corral/core";
import type { DbClient } from "../create-database.ts";

export interface MaintenanceEntry {
  state: MaintenanceState;
  /** Who asked it to stop, from any instance; the Corral running it stops before the next step. */
  stopRequestedBy: string | null;
}

/** Rolling maintenances: each one's whole state, written by the Corral that holds its lease. */
export class MaintenanceRepository {
  constructor(private readonly db: DbClient) {}

  async create(state: MaintenanceState): Promise<void> {
    await this.db.maintenance.create({
      data: {
        id: state.id,
        clusterId: state.clusterId,
        status: state.status,
        state: JSON.stringify(state),
        startedAt: new Date(state.startedAt),
        updatedAt: new Date(),
      },
    });
  }

  async save(state: MaintenanceState): Promise<void> {
    await this.db.maintenance.update({
      where: { id: state.id },
      data: { status: state.status, state: JSON.stringify(state), updatedAt: new Date() },
    });
  }

  async requestStop(id: string, by: string): Promise<void> {
    await this.db.maintenance.update({ where: { id }, data: { stopRequestedBy: by } });
  }

  async get(id: string): Promise<MaintenanceEntry | null> {
    const row = await this.db.maintenance.findUnique({ where: { id } });
    return row ? toEntry(row) : null;
  }

  /** The cluster's latest maintenance, over or not. */
  async latest(clusterId: string): Promise<MaintenanceEntry | null> {
    const row = await this.db.maintenance.findFirst({
      where: { clusterId },
      orderBy: [{ startedAt: "desc" }, { id: "desc" }],
    });
    return row ? toEntry(row) : null;
  }

  /** Every maintenance a Corral is carrying out, by its record. */
  async listRunning(): Promise<MaintenanceEntry[]> {
    const rows = await this.db.maintenance.findMany({ where: { status: "running" } });
    return rows.map(toEntry);
  }
}

function toEntry(row: { state: string; stopRequestedBy: string | null }): MaintenanceEntry {
  return {
    state: JSON.parse(row.state) as MaintenanceState,
    stopRequestedBy: row.stopRequestedBy,
  };
}
