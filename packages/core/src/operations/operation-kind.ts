/**
 * Every kind of long operation Corral runs under a lease. A new kind is added here; the compiler
 * then demands its recovery in every OperationRecovery table. A rolling maintenance holds the
 * lease of its cluster (MAINTENANCE_LOCK), a bulk action and a node's drain their own, the others
 * their VM's.
 */
export const OPERATION_KINDS = [
  "onboarding",
  "move",
  "retest",
  "resource-action",
  "maintenance",
  "bulk",
  "drain",
] as const;
export type OperationKind = (typeof OPERATION_KINDS)[number];

/**
 * The name under which a rolling maintenance holds its cluster's lease in the VM lock table: one
 * per cluster at a time. No Pacemaker resource id can start with "@".
 */
export const MAINTENANCE_LOCK = "@rolling-maintenance";

/** The lease of a bulk action (its VMs each hold their own lock as they are worked). */
export const bulkLock = (id: string) => `@bulk-${id}`;

/** The lease of a node's drain: one drain of a node at a time (its moves lock their VMs). */
export const drainLock = (node: string) => `@drain-${node}`;

/**
 * The kind of the operation a VM lock names ("vm.migrate", "onboarding.abandon", "vm.stop", ...).
 * Locks are taken by name so a second operator reads what holds the VM.
 */
export function operationKindOf(lockOperation: string): OperationKind {
  if (lockOperation === "onboarding" || lockOperation.startsWith("onboarding.")) {
    return "onboarding";
  }
  if (lockOperation === "cluster.rolling-maintenance") return "maintenance";
  if (lockOperation === "cluster.bulk") return "bulk";
  if (lockOperation === "node.drain") return "drain";
  if (lockOperation === "vm.migrate" || lockOperation === "vm.move") return "move";
  // A change of allowed nodes is a re-test of the added nodes followed by the new constraint.
  if (lockOperation === "vm.retest" || lockOperation === "vm.allowed-nodes") return "retest";
  return "resource-action";
}

/**
 * What a live Corral does with the operations of a Corral that stopped renewing its lease, per
 * kind: a mapped type, so leaving a kind out is a compile error. Recovery only records and reads
 * the nodes; it never acts on the cluster (the dead owner may have been slow, not dead).
 */
export type OperationRecovery<Interrupted> = {
  readonly [Kind in OperationKind]: (interrupted: readonly Interrupted[]) => Promise<void>;
};

/** Hands each interrupted operation to its kind's recovery, all kinds side by side. */
export async function recoverOperations<Interrupted extends { operation: string }>(
  recovery: OperationRecovery<Interrupted>,
  interrupted: readonly Interrupted[],
): Promise<void> {
  await Promise.all(
    Object.entries(recovery).map(([kind, recover]) =>
      recover(interrupted.filter((entry) => operationKindOf(entry.operation) === kind)),
    ),
  );
}
