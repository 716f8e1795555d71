import { randomUUID } from "node:crypto";
import {
  type ClusterMonitor,
  type ClusterServices,
  detectPacemakerMoves,
  type Inventory,
  movedLive,
  openClusterNodeTargets,
  readOperationHistory,
} from "@corral/core";
import { type Database, MigrationRepository, VmLockRepository } from "@corral/db";

/**
 * Puts into the migration history the moves Pacemaker made itself (a failover, a standby, a
 * recovery), which no Corral operation records: each new placement of a managed VM while no
 * Corral move holds the VM, as live or restarted from the target's own operation history.
 */
/** How long after Corral's own move ends a placement change is still that move's. */
const RECENT_MS = 60_000;

export async function recordPacemakerMoves(
  monitor: ClusterMonitor,
  services: ClusterServices,
  database: Database,
  signal: AbortSignal,
): Promise<void> {
  const migrations = new MigrationRepository(database.client);
  const locks = new VmLockRepository(database.client);
  const last = new Map<string, Inventory>();
  for await (const inventory of monitor.changes(signal)) {
    const previous = last.get(inventory.clusterId);
    last.set(inventory.clusterId, inventory);
    if (!previous) continue;
    for (const move of detectPacemakerMoves(previous, inventory)) {
      const lock = await locks.find(inventory.clusterId, move.resource);
      if (lock?.operation === "vm.migrate" || lock?.operation === "vm.move") continue;
      // A Corral move that just ended (its lock released before this snapshot) has its record.
      const [latest] = await migrations.list(
        { clusterId: inventory.clusterId, vm: move.resource },
        1,
      );
      if (
        latest?.toNode === move.to &&
        (latest.finishedAt === null || Date.now() - latest.finishedAt.getTime() < RECENT_MS)
      ) {
        continue;
      }
      const nodes = await openClusterNodeTargets(services, inventory.clusterId);
      const history = await readOperationHistory(services.pool, nodes, {
        clusterId: inventory.clusterId,
      });
      const live = history.ok && movedLive(history.value, move.resource, move.to);
      const now = new Date();
      await migrations.recordSettled({
        id: randomUUID(),
        clusterId: inventory.clusterId,
        vm: move.resource,
        fromNode: move.from,
        toNode: move.to,
        live,
        actorId: null,
        actorName: "Pacemaker",
        startedAt: now,
        finishedAt: now,
        result: live ? "succeeded" : "restarted",
        error: live
          ? null
          : lock
            ? `Pacemaker stopped and started it during ${lock.operation} by ${lock.holderName}`
            : "Pacemaker stopped and started it (failover or recovery)",
      });
    }
  }
}
