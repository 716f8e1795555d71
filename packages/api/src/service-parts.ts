import type { ClusterServices } from "@corral/core";
import type { Database, VmLockRepository } from "@corral/db";
import type { Logger } from "pino";
import type { CommandLogFeed } from "./command-log-feed.ts";
import type { CorralMetrics } from "./metrics/corral-metrics.ts";

/**
 * What the services owning long operations are built from: parts of the server, not the server
 * itself, which createCorralServer builds around them (so they cannot name its type).
 */
export interface ServiceParts {
  database: Database;
  logger: Logger;
  commandLog: CommandLogFeed;
  /** The VM locks, which are the operations' leases (renewed by the instance running each). */
  locks: VmLockRepository;
  /** Where finished operations' durations go (`corral_operation_duration_seconds`). */
  metrics: Pick<CorralMetrics, "observeOperation">;
  /** What cluster operations run with: the SSH pool, the cluster registry, the sealing key. */
  clusterServices: ClusterServices;
}
