import type { Result } from "../result.ts";
import type { NodeTarget } from "../ssh/node-target.ts";
import type { CommandContext, CommandOutput, SshPool } from "../ssh/ssh-pool.ts";

export function abortMigrationArgv(vm: string): string[] {
  return ["virsh", "--connect", "qemu:///system", "domjobabort", "--domain", vm];
}

/**
 * Aborts the memory transfer on the source. Pacemaker then sees migrate_to fail and recovers
 * the resource by stopping and starting it (the VM restarts): the UI says so before the click.
 * The caller clears the move constraint first, so the recovery does not head for the target.
 */
export function abortMigration(
  pool: SshPool,
  source: NodeTarget,
  vm: string,
  context: CommandContext = {},
): Promise<Result<CommandOutput>> {
  return pool.run(source, abortMigrationArgv(vm), { ...context, vm, timeoutMs: 15_000 });
}
