import { settleInterruptedJob, updateOnboardingJob } from "@corral/core";
import { audited } from "../../audit.ts";
import type { AuthenticatedContext } from "../../trpc.ts";
import type { SettleOnboardingInput, UpdateOnboardingInput } from "./onboarding-job.schema.ts";
import { onboardingFor } from "./onboarding-service.ts";

export function updateOnboardingHandler({
  ctx,
  input,
}: {
  ctx: AuthenticatedContext;
  input: UpdateOnboardingInput;
}) {
  return audited(ctx, "onboarding.update", { ...input }, async () => {
    const service = await onboardingFor(ctx.server);
    const existing = await service.store.findJob(input.jobId);
    const nodes = existing
      ? (await service.nodesOf(existing.clusterId)).map((node) => node.id)
      : [];
    const job = await updateOnboardingJob(
      service.store,
      input.jobId,
      input,
      nodes,
      ctx.server.clusterServices.agentLocation,
    );
    service.changed(job);
    return job;
  });
}

export function settleOnboardingHandler({
  ctx,
  input,
}: {
  ctx: AuthenticatedContext;
  input: SettleOnboardingInput;
}) {
  return audited(ctx, `onboarding.${input.decision}`, { ...input }, async () => {
    const service = await onboardingFor(ctx.server);
    const job = await settleInterruptedJob(service.store, input.jobId, input.decision, {
      actorId: ctx.user.id,
      actorName: ctx.user.email,
    });
    service.changed(job);
    return job;
  });
}
