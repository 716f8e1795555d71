import { resumeInterruptedJob, updateOnboardingJob } from "@corral/core";
import { audited } from "../../audit.ts";
import type { AuthenticatedContext } from "../../trpc.ts";
import type { OnboardingJobIdInput, UpdateOnboardingInput } from "./onboarding-job.schema.ts";

export function updateOnboardingHandler({
  ctx,
  input,
}: {
  ctx: AuthenticatedContext;
  input: UpdateOnboardingInput;
}) {
  return audited(ctx, "onboarding.update", { ...input }, async () => {
    await ctx.server.recovered;
    const service = ctx.server.services.onboarding;
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

/** Resumes an interrupted job: the interrupted step can run again. */
export function resumeOnboardingHandler({
  ctx,
  input,
}: {
  ctx: AuthenticatedContext;
  input: OnboardingJobIdInput;
}) {
  return audited(ctx, "onboarding.resume", { ...input }, async () => {
    await ctx.server.recovered;
    const service = ctx.server.services.onboarding;
    const job = await resumeInterruptedJob(service.store, input.jobId, {
      actorId: ctx.user.id,
      actorName: ctx.user.email,
    });
    service.changed(job);
    return job;
  });
}
