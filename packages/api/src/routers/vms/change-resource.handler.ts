import {
  AppError,
  changeRestartsVm,
  quoteArgv,
  readVmResourceConfigFromAny,
  resourceChangeArgv,
} from "@corral/core";
import type { AuthenticatedContext } from "../../trpc.ts";
import { auditedVmAction } from "./audited-vm-action.ts";
import type { ChangeResourceInput } from "./vms.schema.ts";

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
  await ctx.server.recovered;
  const service = ctx.server.services.vms;
  const nodes = await service.nodesOf(input.clusterId);
  const pool = ctx.server.clusterServices.pool;
  const context = { actorId: ctx.user.id, clusterId: input.clusterId, vm: input.vm };
  const config = await readVmResourceConfigFromAny(pool, nodes, input.vm, context);
  if (!config.ok) throw config.error;
  if (input.change.kind === "params" && "config" in input.change.values) {
    throw new AppError(
      "INVALID_INPUT",
      "The config path is the onboarding's: change it by onboarding the VM again.",
    );
  }
  const argv = resourceChangeArgv(input.vm, input.change);
  const restarts = changeRestartsVm(config.value, input.change);
  if (input.dryRun) return { command: quoteArgv(argv), restarts, ran: false };
  if (restarts && !input.acceptRestart) {
    throw new AppError(
      "CONFLICT",
      `${quoteArgv(argv)} restarts ${input.vm}: Pacemaker stops and starts it for a changed agent option. Confirm that to go on.`,
    );
  }
  const [runner] = nodes;
  if (!runner) throw new AppError("NOT_FOUND", "The cluster has no node.");
  return auditedVmAction(ctx, service, "vm.change", input, async () => {
    const ran = await pool.run(runner, argv, { ...context, timeoutMs: 60_000 });
    if (!ran.ok) throw ran.error;
    return { command: quoteArgv(argv), restarts, ran: true };
  });
}
