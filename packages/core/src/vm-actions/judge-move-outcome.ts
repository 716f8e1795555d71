import type { FailedAction } from "../inventory/parse-crm-mon.ts";
import type { OperationRecord } from "../inventory/parse-operation-history.ts";

/**
 * How a move really went, from Pacemaker's record rather than from pcs's words:
 * - live: migrate_to succeeded on the source and migrate_from on the target, no start of the
 *   resource happened since the request, and libvirt says the target's domain was migrated in;
 * - restarted: anything else, with why: Pacemaker stopped the VM and started it again (the guest
 *   rebooted), or its record does not prove a live migration (never claimed without proof).
 */
export type MoveHow = { how: "live" } | { how: "restarted"; reason: string };

export function judgeMoveOutcome(input: {
  /** Operations of the resource recorded since the move was requested (operationsSince). */
  operations: readonly OperationRecord[];
  failedActions: readonly FailedAction[];
  source: string | null;
  target: string;
  /** `virsh domstate --reason` on the target: "running (migrated)" after a live migration. */
  targetDomstate: string | null;
}): MoveHow {
  const { operations, source, target } = input;
  const did = (task: string, node: string | null, rc?: number) =>
    operations.some(
      (op) =>
        op.task === task &&
        (node === null || op.node === node) &&
        (rc === undefined || op.rc === rc),
    );
  const failedMigration = operations.find(
    (op) => (op.task === "migrate_to" || op.task === "migrate_from") && op.rc !== 0,
  );
  const started = operations.find((op) => op.task === "start");
  if (failedMigration || started) {
    const failure = input.failedActions.find(
      (action) =>
        failedMigration &&
        action.operation === failedMigration.task &&
        action.node === failedMigration.node,
    );
    const why = failedMigration
      ? `${failedMigration.task} failed on ${failedMigration.node}: ${failure?.exitReason || failedMigration.rcText || `rc ${failedMigration.rc}`}`
      : "Pacemaker started it instead of migrating it";
    return { how: "restarted", reason: `migration failed (${why})` };
  }
  if (did("migrate_to", source, 0) && did("migrate_from", target, 0)) {
    if (input.targetDomstate !== null && !/\(migrated\)/.test(input.targetDomstate)) {
      return {
        how: "restarted",
        reason: `the domain on ${target} is ${input.targetDomstate}, not a migrated one`,
      };
    }
    return { how: "live" };
  }
  return {
    how: "restarted",
    reason: "Pacemaker's operation history does not show it migrated live",
  };
}
