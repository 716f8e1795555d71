import {
  AppError,
  deleteVmResource,
  deleteVmResourceCommands,
  firstAnswer,
  quoteArgv,
  readVmResourceConfig,
} from "@corral/core";
import { audited } from "../../audit.ts";
import type { AuthenticatedContext } from "../../trpc.ts";
import type { DeleteResourceInput } from "./vms.schema.ts";
import { vmsFor } from "./vms-service.ts";

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
  const service = await vmsFor(ctx.server);
  const nodes = await service.nodesOf(input.clusterId);
  const pool = ctx.server.clusterServices.pool;
  const context = { actorId: ctx.user.id, clusterId: input.clusterId };
  const inventory = await ctx.server.clusterMonitor.inventory(input.clusterId);
  const vm = inventory?.vms.find((candidate) => candidate.resource?.id === input.vm);
  if (!vm) throw new AppError("VM_NOT_FOUND", `${input.vm} is not a VM resource of this cluster.`);
  const read = await firstAnswer(nodes, (node) =>
    readVmResourceConfig(pool, node, input.vm, context),
  );
  if (!read.node) throw read.failures.at(-1) ?? new AppError("NOT_FOUND", "No node answered.");
  const configPath = read.value.configPath;
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
  return audited(
    ctx,
    "vm.delete-resource",
    { ...input },
    () =>
      service.locks.runExclusive(
        {
          clusterId: input.clusterId,
          vm: input.vm,
          holderId: ctx.user.id,
          holderName: ctx.user.email,
          operation: "vm.delete-resource",
        },
        async () => {
          const done = await deleteVmResource(pool, nodes, plan, {
            ...context,
            ...ctx.server.clusterServices.agentLocation,
          });
          if (!done.ok) throw done.error;
          return { commands: null, done: done.value };
        },
      ),
    { clusterId: input.clusterId, vm: input.vm, node: input.defineOn },
  );
}
