import { setTimeout as sleep } from "node:timers/promises";
import { type ClusterMonitor, type Inventory, observeInventoryFindings } from "@corral/core";
import type { FindingRepository, VmLockRepository } from "@corral/db";
import type { Logger } from "pino";
import type { CommandLogFeed } from "../command-log-feed.ts";

/** How often the VM locks are read for a hold that started or ended, on any instance. */
const HOLDS_EVERY_MS = 2_000;

/**
 * Keeps the findings store in step with the live inventories: each new inventory of a cluster
 * opens the findings it shows (observeInventoryFindings: VM alarms and hazards, libvirt, quorum,
 * maintenance-mode, fencing, live-migration paths) and resolves those it no longer shows, with
 * their command-log entries and queued notifications, then wakes the sender and tells the
 * Command log pages. Kept across restarts, so a restart neither reopens nor resends.
 *
 * A VM that a Corral operation holds (its VM lock, on any instance) passes through states that
 * would be hazards otherwise: a test runs it outside Pacemaker, a move pins it. Its findings
 * neither open nor resolve while it is held; when the hold ends (read every HOLDS_EVERY_MS), the
 * cluster's latest inventory is observed again, so what the operation left shows at once.
 * Observations run one at a time, newest inventory last. One that cannot be recorded (its
 * cluster removed meanwhile) does not stop the next.
 */
export async function recordFindings(
  monitor: ClusterMonitor,
  findings: FindingRepository,
  locks: Pick<VmLockRepository, "list">,
  notifications: { wake(): void },
  commandLog: Pick<CommandLogFeed, "announce">,
  logger: Logger,
  signal: AbortSignal,
): Promise<void> {
  /** Per cluster, the held VMs its last observation used. */
  const observedHolds = new Map<string, string>();
  let queue: Promise<void> = Promise.resolve();
  const observe = (inventory: Inventory, held: ReadonlySet<string>) => {
    queue = queue.then(async () => {
      try {
        observedHolds.set(inventory.clusterId, [...held].sort().join("\n"));
        const changes = await findings.applyObservation(
          inventory.clusterId,
          observeInventoryFindings(inventory, held),
        );
        if (changes.queued > 0) notifications.wake();
        // Their command-log entries were written in the findings' transaction: tell the pages.
        if (changes.opened.length + changes.resolved.length > 0) commandLog.announce();
      } catch (error) {
        logger.error({ err: error, cluster: inventory.clusterName }, "recording findings failed");
      }
    });
    return queue;
  };
  const holds = async () => {
    const byCluster = new Map<string, Set<string>>();
    for (const lock of await locks.list()) {
      const held = byCluster.get(lock.clusterId) ?? new Set<string>();
      held.add(lock.vm);
      byCluster.set(lock.clusterId, held);
    }
    return byCluster;
  };
  const none = new Set<string>();
  const watchHolds = async () => {
    while (!signal.aborted) {
      await sleep(HOLDS_EVERY_MS, undefined, { signal }).catch(() => undefined);
      if (signal.aborted) return;
      try {
        const held = await holds();
        for (const inventory of monitor.snapshots()) {
          const now = held.get(inventory.clusterId) ?? none;
          const before = observedHolds.get(inventory.clusterId);
          if (before !== undefined && before !== [...now].sort().join("\n")) {
            await observe(inventory, now);
          }
        }
      } catch (error) {
        logger.error({ err: error }, "reading the VM locks for findings failed");
      }
    }
  };
  const watching = watchHolds();
  for await (const inventory of monitor.changes(signal)) {
    const held = await holds().catch(() => null);
    // Without the locks no hold is known: observe nothing rather than alarm on an operation.
    if (held) await observe(inventory, held.get(inventory.clusterId) ?? none);
  }
  await watching;
  await queue;
}
