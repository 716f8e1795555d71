import { type VmLock, VmLockRepository } from "@corral/db";
import { onboardingServiceOf } from "./routers/onboarding/onboarding-service.ts";
import { RETEST_OPERATION, retestServiceOf } from "./routers/test-results/retest-service.ts";
import { vmsServiceOf } from "./routers/vms/vms-service.ts";
import type { CorralServer } from "./server.ts";

/** The lock operations each owner recovers; a kind no owner names is only logged. */
const MIGRATION_OPERATIONS = new Set(["vm.move", "vm.migrate"]);

/**
 * Start-up, in one place: the VM locks a stopped Corral left are released once, here, and each
 * goes to the owner of its operation kind. Owners used to release them themselves, and the first
 * to call took every released lock, the others' included.
 */
export async function recoverInterruptedOperations(server: CorralServer): Promise<void> {
  const released = await new VmLockRepository(server.database.client).releaseStale();
  for (const lock of released) {
    server.logger.warn(
      { vm: lock.vm, operation: lock.operation, operationId: lock.operationId },
      `released the lock of a stopped Corral (${lock.holderName} since ${lock.since.toISOString()})`,
    );
  }
  const ofKind = (kind: (lock: VmLock) => boolean) => released.filter(kind);
  await Promise.all([
    onboardingServiceOf(server).recover(ofKind((lock) => lock.operation === "onboarding")),
    vmsServiceOf(server).recover(ofKind((lock) => MIGRATION_OPERATIONS.has(lock.operation))),
    retestServiceOf(server).recover(ofKind((lock) => lock.operation === RETEST_OPERATION)),
  ]);
}
