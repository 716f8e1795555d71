import {
  AppError,
  checkOnboardable,
  newOnboardingJob,
  readClusterStatusFromAny,
} from "@corral/core";
import { audited } from "../../audit.ts";
import type { AuthenticatedContext } from "../../trpc.ts";
import type { StartOnboardingInput } from "./onboarding-job.schema.ts";

/**
 * Opens the wizard's job for a VM; one open job per VM (resume or abandon the other first).
 * A VM no node knows, one Pacemaker manages, or a resource name in use is refused here, before
 * any step can touch a node.
 */
export function startOnboardingHandler({
  ctx,
  input,
}: {
  ctx: AuthenticatedContext;
  input: StartOnboardingInput;
}) {
  return audited(
    ctx,
    "onboarding.start",
    { ...input },
    async () => {
      await ctx.server.recovered;
      const service = ctx.server.services.onboarding;
      const targets = await service.nodesOf(input.clusterId);
      const nodes = targets.map((node) => node.id);
      const unknown = input.allowedNodes.filter((name) => !nodes.includes(name));
      if (unknown.length) {
        throw new AppError("INVALID_INPUT", `${unknown.join(", ")} is not a node of this cluster.`);
      }
      const inventory = await ctx.server.clusterMonitor.inventory(input.clusterId);
      if (!inventory) throw new AppError("NOT_FOUND", "No such cluster.");
      const status = await readClusterStatusFromAny(ctx.server.clusterServices.pool, targets, {
        actorId: ctx.user.id,
        clusterId: input.clusterId,
      });
      if (!status.ok) throw status.error;
      const ids = status.value.resources.flatMap((r) => (r.parent ? [r.id, r.parent] : [r.id]));
      const refusal = checkOnboardable(inventory, ids, input);
      if (refusal) throw refusal;
      const open = await service.store.findOpenJob(input.clusterId, input.vm);
      if (open) {
        throw new AppError(
          "CONFLICT",
          `${input.vm} already has an onboarding (${open.state}, started by ${open.actorName}); continue or abandon it first.`,
        );
      }
      const job = newOnboardingJob({
        ...input,
        actor: { actorId: ctx.user.id, actorName: ctx.user.email },
        agentLocation: ctx.server.clusterServices.agentLocation,
      });
      await service.store.createJob(job);
      return job;
    },
    { clusterId: input.clusterId, vm: input.vm },
  );
}
