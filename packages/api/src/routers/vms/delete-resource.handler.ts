import {
  AppError,
  deleteVmResource,
  deleteVmResourceCommands,
  quoteArgv,
  readVmResourceConfigFromAny,
} from "@corral/core";
import type { AuthenticatedContext } from "../../trpc.ts";
import { auditedVmAction } from "./audited-vm-action.ts";
import type { DeleteResourceInput } from "./vms.schema.ts";

/**
 * Gives a VM back to libvirt (deleteVmResource): Pacemaker stops it, the resource and its
 * constraints go, the domain is defined, shut off, on the node the operator picked, and the
 * config files go too when asked.
 */
export async function deleteResourceHandler({
  ctx,
  input,
}: {
  ctx: AuthenticatedContext;
  input: DeleteResourceInput;
}) {
  await ctx.server.recovered;
  const service = ctx.server.services.vms;
  const nodes = await service.nodesOf(input.clusterId);
  const pool = ctx.server.clusterServices.pool;
  const context = { actorId: ctx.user.id, clusterId: input.clusterId };
  const inventory = await ctx.server.clusterMonitor.inventory(input.clusterId);
  const vm = inventory?.vms.find((candidate) => candidate.resource?.id === input.vm);
  if (!vm) throw new AppError("VM_NOT_FOUND", `${input.vm} is not a VM resource of this cluster.`);
  const config = await readVmResourceConfigFromAny(pool, nodes, input.vm, context);
  if (!config.ok) throw config.error;
  const configPath = config.value.configPath;
  if (!configPath) throw new AppError("INVALID_INPUT", `${input.vm} has no config= option.`);
  const plan = {
    resource: input.vm,
    domain: vm.name,
    configPath,
    defineOn: input.defineOn,
    removeConfigs: input.removeConfigs,
  };
  if (input.dryRun) {
    return {
      commands: deleteVmResourceCommands(plan, ctx.server.clusterServices.agentLocation).map(
        ({ node, argv }) => ({ node, shell: quoteArgv(argv) }),
      ),
      done: null,
    };
  }
  return auditedVmAction(
    ctx,
    service,
    "vm.delete-resource",
    input,
    async () => {
      const done = await deleteVmResource(pool, nodes, plan, {
        ...context,
        ...ctx.server.clusterServices.agentLocation,
      });
      if (!done.ok) throw done.error;
      return { commands: null, done: done.value };
    },
    input.defineOn,
  );
}
