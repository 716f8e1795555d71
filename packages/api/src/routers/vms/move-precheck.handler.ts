import {
  AppError,
  estimateConvergence,
  judgeMovePrecheck,
  readNodeMemory,
  readOperationHistory,
  readVmResourceConfigFromAny,
  simulateMove,
} from "@corral/core";
import type { AuthenticatedContext } from "../../trpc.ts";
import type { MoveVmInput } from "./vms.schema.ts";

/**
 * What a move to the picked target would meet, before the click: Pacemaker's scheduler on a
 * copy of the CIB (would it place the VM there, would it move back once pcs clears the move's
 * constraint, what else would move), the target's free memory against the VM's, and for a live
 * migration how long the memory copy would take at the rate Pacemaker recorded for this
 * cluster's live migrations, against migrate_to's timeout. Nothing in the cluster changes.
 */
export async function movePrecheckHandler({
  ctx,
  input,
}: {
  ctx: AuthenticatedContext;
  input: MoveVmInput;
}) {
  await ctx.server.recovered;
  const inventory = await ctx.server.clusterMonitor.inventory(input.clusterId);
  const vm = inventory?.vms.find((candidate) => candidate.resource?.id === input.vm);
  if (!inventory || !vm)
    throw new AppError("VM_NOT_FOUND", `${input.vm} is not a VM resource of this cluster.`);
  const nodes = await ctx.server.services.vms.nodesOf(input.clusterId);
  const target = nodes.find((node) => node.id === input.target);
  if (!target)
    throw new AppError("INVALID_INPUT", `${input.target} is not a node of this cluster.`);
  const { pool, agentLocation } = ctx.server.clusterServices;
  const options = { actorId: ctx.user.id, clusterId: input.clusterId, ...agentLocation };
  const [simulation, targetMemory, history, config] = await Promise.all([
    simulateMove(pool, nodes, { resource: input.vm, target: input.target }, options),
    readNodeMemory(pool, target, options),
    readOperationHistory(pool, nodes, options),
    readVmResourceConfigFromAny(pool, nodes, input.vm, options),
  ]);
  const live = config.ok ? config.value.allowMigrate : vm.resource?.allowMigrate === true;
  const estimate =
    live && history.ok
      ? estimateConvergence({
          vmMemoryKiB: vm.memoryKiB,
          history: history.value,
          memoryKiBOf: (resource) =>
            inventory.vms.find((candidate) => candidate.resource?.id === resource)?.memoryKiB ??
            null,
          migrateToTimeout: config.ok
            ? (config.value.ops.find((op) => op.name === "migrate_to")?.timeout ?? null)
            : null,
        })
      : null;
  return {
    warnings: judgeMovePrecheck({
      resource: input.vm,
      target: input.target,
      simulation,
      vmMemoryKiB: vm.memoryKiB,
      targetMemory,
      estimate,
    }),
    estimate,
  };
}
