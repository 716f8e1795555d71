import { AppError } from "../errors.ts";
import { err, ok, type Result } from "../result.ts";
import type { NodeTarget } from "../ssh/node-target.ts";
import type { CommandContext, SshPool } from "../ssh/ssh-pool.ts";
import { abortMigration } from "./abort-migration.ts";
import type { MovePhase } from "./move-resource.ts";

/** Where a live migration is, as its watcher last saw it. */
export interface CancelMoment {
  phase: MovePhase;
  /** `virsh domjobinfo` on the source last said a job runs. */
  transferActive: boolean;
}

/**
 * A cancel is only an abort of migrate_to's memory transfer: before it starts there is nothing
 * to abort, and once it completed the target already runs the VM. It never touches the move
 * constraint: that waits until Pacemaker settled and the VM runs on one node
 * (settleCancelledMove), since clearing it mid-migration once left the VM on two nodes.
 */
export function refuseCancel(moment: CancelMoment): AppError | null {
  if (moment.phase === "migrate_to" && moment.transferActive) return null;
  return new AppError(
    "CONFLICT",
    moment.phase === "requested" || moment.phase === "migrate_to"
      ? "The memory transfer is not running: there is nothing to abort. Try again while it runs."
      : "The memory transfer has completed: the move can no longer be cancelled. Once it is done, move the VM back.",
  );
}

/** Aborts the transfer on the source, or says why not (the moment passed, or no job ran). */
export async function cancelMigration(
  pool: SshPool,
  source: NodeTarget,
  vm: string,
  moment: CancelMoment,
  context: CommandContext = {},
): Promise<Result<void>> {
  const refusal = refuseCancel(moment);
  if (refusal) return err(refusal);
  const aborted = await abortMigration(pool, source, vm, context);
  if (!aborted.ok) {
    // No job to abort: migrate_to finished between the last reading and the abort.
    return err(
      new AppError(
        "CONFLICT",
        `The memory transfer had already completed (${aborted.error.message}): the move continues. Once it is done, move the VM back.`,
      ),
    );
  }
  return ok(undefined);
}
