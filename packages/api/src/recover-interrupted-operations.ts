import { type VmLock, VmLockRepository } from "@corral/db";
import type { OnboardingService } from "./routers/onboarding/onboarding-service.ts";
import { RETEST_OPERATION, type RetestService } from "./routers/test-results/retest-service.ts";
import type { VmsService } from "./routers/vms/vms-service.ts";
import type { ServiceParts } from "./service-parts.ts";

/** The lock operations each owner recovers; a kind no owner names is only logged. */
const MIGRATION_OPERATIONS = new Set(["vm.move", "vm.migrate"]);

/** The owners of the operations a stopped Corral can leave behind. */
interface RecoveringServices {
  onboarding: Pick<OnboardingService, "recover">;
  vms: Pick<VmsService, "recover">;
  retests: Pick<RetestService, "recover">;
}

/**
 * Start-up, in one place: the VM locks a stopped Corral left are released once, here, and each
 * goes to the owner of its operation kind. Owners used to release them themselves, and the first
 * to call took every released lock, the others' included.
 */
export async function recoverInterruptedOperations(
  { database, logger }: Pick<ServiceParts, "database" | "logger">,
  services: RecoveringServices,
): Promise<void> {
  const released = await new VmLockRepository(database.client).releaseStale();
  for (const lock of released) {
    logger.warn(
      { vm: lock.vm, operation: lock.operation, operationId: lock.operationId },
      `released the lock of a stopped Corral (${lock.holderName} since ${lock.since.toISOString()})`,
    );
  }
  const ofKind = (kind: (lock: VmLock) => boolean) => released.filter(kind);
  await Promise.all([
    services.onboarding.recover(ofKind((lock) => lock.operation === "onboarding")),
    services.vms.recover(ofKind((lock) => MIGRATION_OPERATIONS.has(lock.operation))),
    services.retests.recover(ofKind((lock) => lock.operation === RETEST_OPERATION)),
  ]);
}
