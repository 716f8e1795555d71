import { setTimeout as sleep } from "node:timers/promises";
import {
  type OperationRecovery,
  openClusterNodeTargets,
  recoverOperations,
  whereItRuns,
} from "@corral/core";
import type { VmLock } from "@corral/db";
import type { BulkService } from "./routers/bulk/bulk-service.ts";
import type { MaintenanceService } from "./routers/maintenance/maintenance-service.ts";
import type { OnboardingService } from "./routers/onboarding/onboarding-service.ts";
import type { RetestService } from "./routers/test-results/retest-service.ts";
import type { VmsService } from "./routers/vms/vms-service.ts";
import type { ServiceParts } from "./service-parts.ts";

/** The owners of the operations a stopped Corral can leave behind. */
interface RecoveringServices {
  onboarding: Pick<OnboardingService, "recover">;
  vms: Pick<VmsService, "recover" | "recoverDrains">;
  retests: Pick<RetestService, "recover">;
  maintenance: Pick<MaintenanceService, "recover">;
  bulk: Pick<BulkService, "recover">;
}

/** Each kind's recovery (the compiler demands one per OperationKind). */
export function operationRecovery(
  parts: Pick<ServiceParts, "clusterServices" | "commandLog">,
  services: RecoveringServices,
): OperationRecovery<VmLock> {
  return {
    onboarding: async (locks) => {
      await services.onboarding.recover(locks);
    },
    move: (locks) => services.vms.recover(locks),
    retest: (locks) => services.retests.recover(locks),
    "resource-action": (locks) => recordInterruptedActions(parts, locks),
    maintenance: (locks) => services.maintenance.recover(locks),
    bulk: (locks) => services.bulk.recover(locks),
    drain: (locks) => services.vms.recoverDrains(locks),
  };
}

/**
 * A start, stop, cleanup or resource change whose Corral died: Pacemaker finishes or fails it
 * on its own; the command log says what was interrupted and where the VM runs now.
 */
async function recordInterruptedActions(
  { clusterServices, commandLog }: Pick<ServiceParts, "clusterServices" | "commandLog">,
  locks: readonly VmLock[],
): Promise<void> {
  for (const lock of locks) {
    const nodes = await openClusterNodeTargets(clusterServices, lock.clusterId).catch(() => []);
    const { note } = await whereItRuns(clusterServices.pool, nodes, { name: lock.vm });
    await commandLog.recordInterrupted(
      lock,
      { instance: lock.instanceId },
      `${lock.operation} of ${lock.vm} was interrupted when the Corral running it stopped; Pacemaker carries on without it. ${note}`,
    );
  }
}

/**
 * Releases the leases (VM locks) their instances stopped renewing and hands each operation to
 * its kind's recovery. At start-up every kind also looks for records no lock names (a Corral
 * that stopped before its lock was written); later sweeps recover only what they released.
 */
export async function recoverInterruptedOperations(
  { locks, logger }: Pick<ServiceParts, "locks" | "logger">,
  recovery: OperationRecovery<VmLock>,
  options: { startUp: boolean },
): Promise<void> {
  const released = await locks.releaseStale();
  for (const lock of released) {
    logger.warn(
      { vm: lock.vm, operation: lock.operation, operationId: lock.operationId },
      `released the lease of a stopped Corral (${lock.holderName} since ${lock.since.toISOString()}, instance ${lock.instanceId})`,
    );
  }
  if (options.startUp || released.length > 0) await recoverOperations(recovery, released);
}

/**
 * What every live instance runs: a sweep each time leases are renewed, so an instance that died
 * has its operations recovered by another within the lease, not only when it starts again.
 */
export async function sweepLeases(
  parts: Pick<ServiceParts, "locks" | "logger">,
  recovery: OperationRecovery<VmLock>,
  signal: AbortSignal,
): Promise<void> {
  while (!signal.aborted) {
    await sleep(parts.locks.renewEveryMs, undefined, { signal }).catch(() => {});
    if (signal.aborted) return;
    await recoverInterruptedOperations(parts, recovery, { startUp: false }).catch(
      (error: unknown) =>
        parts.logger.error({ err: error }, "recovering interrupted operations failed"),
    );
  }
}
