import { AppError, readVmResourceConfigFromAny } from "@corral/core";
import { audited } from "../../audit.ts";
import type { AuthenticatedContext } from "../../trpc.ts";
import type { MoveVmInput } from "./vms.schema.ts";

/**
 * Starts `pcs resource move` (or move-with-constraint, when the constraint is to stay) in the
 * background (live when allow-migrate=true, else stop and start) and answers with the
 * migration at once; the card follows it over `vms.migration`.
 */
export async function moveVmHandler({
  ctx,
  input,
}: {
  ctx: AuthenticatedContext;
  input: MoveVmInput;
}) {
  await ctx.server.recovered;
  const service = ctx.server.services.vms;
  return audited(
    ctx,
    "vm.move",
    { ...input },
    async () => {
      const inventory = await ctx.server.clusterMonitor.inventory(input.clusterId);
      const vm = inventory?.vms.find((candidate) => candidate.resource?.id === input.vm);
      if (!inventory || !vm?.resource) {
        throw new AppError("VM_NOT_FOUND", `${input.vm} is not a VM resource of this cluster.`);
      }
      const target = inventory.nodes.find((node) => node.name === input.target);
      if (!target)
        throw new AppError("INVALID_INPUT", `${input.target} is not a node of this cluster.`);
      if (target.state !== "online") {
        throw new AppError(
          "INVALID_INPUT",
          `${input.target} is ${target.state}: pick an online node.`,
        );
      }
      if (vm.resource.nodes.includes(input.target)) {
        throw new AppError("INVALID_INPUT", `${input.vm} already runs on ${input.target}.`);
      }
      const nodes = await service.nodesOf(input.clusterId);
      const config = await readVmResourceConfigFromAny(
        ctx.server.clusterServices.pool,
        nodes,
        input.vm,
      );
      const live = config.ok && config.value.allowMigrate;
      return service.startMove({
        clusterId: input.clusterId,
        vm: input.vm,
        domain: vm.name,
        source: vm.resource.nodes[0] ?? null,
        target: input.target,
        live,
        constraint: input.constraint,
        actor: { id: ctx.user.id, name: ctx.user.email },
      });
    },
    { clusterId: input.clusterId, vm: input.vm, node: input.target },
  );
}
