import { AppError, returnHomeMoves } from "@corral/core";
import { audited } from "../../audit.ts";
import type { AuthenticatedContext } from "../../trpc.ts";
import type { ReturnHomeInput } from "./vms.schema.ts";

/**
 * Starts moving an evacuation's VMs back to their node, one at a time in the background; each
 * move shows on its VM's card. Refused while the node is not back online or when nothing is
 * left to bring back (with why).
 */
export async function returnHomeHandler({
  ctx,
  input,
}: {
  ctx: AuthenticatedContext;
  input: ReturnHomeInput;
}) {
  await ctx.server.recovered;
  const service = ctx.server.services.vms;
  const evacuation = await service.evacuations.get(input.evacuationId);
  if (evacuation?.clusterId !== input.clusterId) {
    throw new AppError("NOT_FOUND", "No such evacuation in this cluster.");
  }
  return audited(
    ctx,
    "node.return-home",
    { ...input },
    async () => {
      if (!evacuation.outcome) {
        throw new AppError(
          "CONFLICT",
          `That drain of ${evacuation.node} recorded no outcome: nothing to bring back.`,
        );
      }
      const inventory = await ctx.server.clusterMonitor.inventory(input.clusterId);
      if (!inventory) throw new AppError("NOT_FOUND", "The cluster's state is not known yet.");
      const plan = returnHomeMoves(
        { node: evacuation.node, vms: evacuation.outcome.vms },
        inventory,
      );
      if (plan.blocked) throw new AppError("CONFLICT", plan.blocked);
      if (!plan.moves.length && !plan.starts.length) {
        throw new AppError(
          "CONFLICT",
          `Nothing to bring back to ${evacuation.node}: ${plan.left.map((l) => `${l.resource} ${l.reason}`).join("; ") || "no VM left it"}.`,
        );
      }
      const { nodes, runner } = await service.nodesAndRunner(input.clusterId, inventory);
      void service
        .returnHome({
          evacuation,
          moves: plan.moves,
          starts: plan.starts,
          nodes,
          runner,
          actor: { id: ctx.user.id, name: ctx.user.email },
        })
        .catch((error: unknown) =>
          ctx.server.logger.warn(
            { err: error, evacuationId: evacuation.id },
            "bringing VMs back stopped",
          ),
        );
      return plan;
    },
    { clusterId: input.clusterId, node: evacuation.node },
  );
}
