import { type ClusterMonitor, observeInventoryFindings } from "@corral/core";
import type { FindingRepository } from "@corral/db";
import type { Logger } from "pino";
import type { CommandLogFeed } from "../command-log-feed.ts";

/**
 * Keeps the findings store in step with the live inventories: each new inventory of a cluster
 * opens the findings it shows (observeInventoryFindings: VM alarms and hazards, libvirt, quorum,
 * maintenance-mode, fencing) and
 * resolves those it no longer shows, with their command-log entries and queued notifications,
 * then wakes the sender and tells the Command log pages. Kept across restarts, so a restart neither reopens nor resends. One
 * inventory that cannot be recorded (its cluster removed meanwhile) does not stop the next.
 */
export async function recordFindings(
  monitor: ClusterMonitor,
  findings: FindingRepository,
  notifications: { wake(): void },
  commandLog: Pick<CommandLogFeed, "announce">,
  logger: Logger,
  signal: AbortSignal,
): Promise<void> {
  for await (const inventory of monitor.changes(signal)) {
    try {
      const changes = await findings.applyObservation(
        inventory.clusterId,
        observeInventoryFindings(inventory),
      );
      if (changes.queued > 0) notifications.wake();
      // Their command-log entries were written in the findings' transaction: tell the pages.
      if (changes.opened.length + changes.resolved.length > 0) commandLog.announce();
    } catch (error) {
      logger.error({ err: error, cluster: inventory.clusterName }, "recording findings failed");
    }
  }
}
