import type { Result } from "../result.ts";
import type { NodeTarget } from "../ssh/node-target.ts";
import type { CommandContext, CommandOutput, SshPool } from "../ssh/ssh-pool.ts";

function abortMigrationArgv(vm: string): string[] {
  return ["virsh", "--connect", "qemu:///system", "domjobabort", "--domain", vm];
}

/**
 * Aborts the memory transfer on the source (fails when no job runs: migrate_to completed).
 * Pacemaker then sees migrate_to fail and recovers the resource by stopping and starting it
 * (the VM restarts): the UI says so before the click. The move constraint is left alone until
 * Pacemaker settled (settleCancelledMove).
 */
export function abortMigration(
  pool: SshPool,
  source: NodeTarget,
  vm: string,
  context: CommandContext = {},
): Promise<Result<CommandOutput>> {
  return pool.run(source, abortMigrationArgv(vm), { ...context, vm, timeoutMs: 15_000 });
}
