import type { AuditAction } from "@corral/core";
import { audited } from "../../audit.ts";
import type { AuthenticatedContext } from "../../trpc.ts";
import type { VmsService } from "./vms-service.ts";

/**
 * An operator's action on one VM: written to the command log (who, what, when, the outcome)
 * and run holding the VM's lock, so a second operator gets VM_BUSY naming the holder.
 */
export function auditedVmAction<T>(
  ctx: AuthenticatedContext,
  service: VmsService,
  action: Extract<AuditAction, `vm.${string}`>,
  input: { clusterId: string; vm: string } & Record<string, unknown>,
  run: () => Promise<T>,
  node: string | null = null,
): Promise<T> {
  return audited(
    ctx,
    action,
    { ...input },
    () =>
      service.locks.runExclusive(
        {
          clusterId: input.clusterId,
          vm: input.vm,
          holderId: ctx.user.id,
          holderName: ctx.user.email,
          operation: action,
        },
        run,
      ),
    { clusterId: input.clusterId, vm: input.vm, node },
  );
}
