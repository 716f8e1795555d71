import type { VmLock, VmLockRepository } from "@corral/db";

/**
 * The records a recovery takes over: those whose lease the sweep just released, and (at
 * start-up) those no live lock names, a Corral having stopped before it took the lease.
 */
export async function unleased<T>(
  records: readonly T[],
  idOf: (record: T) => string,
  released: readonly VmLock[],
  locks: Pick<VmLockRepository, "list">,
): Promise<T[]> {
  const releasedIds = new Set(released.map((lock) => lock.operationId));
  const held = new Set((await locks.list()).map((lock) => lock.operationId));
  return records.filter((record) => releasedIds.has(idOf(record)) || !held.has(idOf(record)));
}
