import { AppError, judgeMovePrecheck, readNodeMemory, simulateMove } from "@corral/core";
import type { AuthenticatedContext } from "../../trpc.ts";
import type { MoveVmInput } from "./vms.schema.ts";

/**
 * What a move to the picked target would meet, before the click: Pacemaker's scheduler on a
 * copy of the CIB (would it place the VM there, would it move back once pcs clears the move's
 * constraint, what else would move) and the target's free memory against the VM's. Nothing
 * in the cluster changes.
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
  if (!vm) throw new AppError("VM_NOT_FOUND", `${input.vm} is not a VM resource of this cluster.`);
  const nodes = await ctx.server.services.vms.nodesOf(input.clusterId);
  const target = nodes.find((node) => node.id === input.target);
  if (!target)
    throw new AppError("INVALID_INPUT", `${input.target} is not a node of this cluster.`);
  const { pool, agentLocation } = ctx.server.clusterServices;
  const options = { actorId: ctx.user.id, clusterId: input.clusterId, ...agentLocation };
  const [simulation, targetMemory] = await Promise.all([
    simulateMove(pool, nodes, { resource: input.vm, target: input.target }, options),
    readNodeMemory(pool, target, options),
  ]);
  return judgeMovePrecheck({
    resource: input.vm,
    target: input.target,
    simulation,
    vmMemoryKiB: vm.memoryKiB,
    targetMemory,
  });
}
