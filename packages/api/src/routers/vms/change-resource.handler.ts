import {
  AppError,
  changeRestartsVm,
  firstAnswer,
  quoteArgv,
  readVmResourceConfig,
  resourceChangeArgv,
} from "@corral/core";
import { audited } from "../../audit.ts";
import type { AuthenticatedContext } from "../../trpc.ts";
import type { ChangeResourceInput } from "./vms.schema.ts";
import { vmsFor } from "./vms-service.ts";

/**
 * Changes a resource's agent options, meta attributes or an operation with the exact pcs
 * command. A change that makes Pacemaker restart the VM (any agent option: VirtualDomain
 * declares none reloadable) runs only when the confirmation said so.
 */
export async function changeResourceHandler({
  ctx,
  input,
}: {
  ctx: AuthenticatedContext;
  input: ChangeResourceInput;
}) {
  const service = await vmsFor(ctx.server);
  const nodes = await service.nodesOf(input.clusterId);
  const pool = ctx.server.clusterServices.pool;
  const context = { actorId: ctx.user.id, clusterId: input.clusterId };
  const read = await firstAnswer(nodes, (node) =>
    readVmResourceConfig(pool, node, input.vm, context),
  );
  if (!read.node) throw read.failures.at(-1) ?? new AppError("NOT_FOUND", "No node answered.");
  if (input.change.kind === "params" && "config" in input.change.values) {
    throw new AppError(
      "INVALID_INPUT",
      "The config path is the onboarding's: change it by onboarding the VM again.",
    );
  }
  const argv = resourceChangeArgv(input.vm, input.change);
  const restarts = changeRestartsVm(read.value, input.change);
  if (input.dryRun) return { command: quoteArgv(argv), restarts, ran: false };
  if (restarts && !input.acceptRestart) {
    throw new AppError(
      "CONFLICT",
      `${quoteArgv(argv)} restarts ${input.vm}: Pacemaker stops and starts it for a changed agent option. Confirm that to go on.`,
    );
  }
  return audited(
    ctx,
    "vm.change",
    { ...input },
    () =>
      service.locks.runExclusive(
        {
          clusterId: input.clusterId,
          vm: input.vm,
          holderId: ctx.user.id,
          holderName: ctx.user.email,
          operation: "vm.change",
        },
        async () => {
          const ran = await pool.run(read.node, argv, {
            ...context,
            vm: input.vm,
            timeoutMs: 60_000,
          });
          if (!ran.ok) throw ran.error;
          return { command: quoteArgv(argv), restarts, ran: true };
        },
      ),
    { clusterId: input.clusterId, vm: input.vm },
  );
}
