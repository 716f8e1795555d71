import { AppError, abandonOnboardingJob, planAbandon, quoteArgv } from "@corral/core";
import { audited } from "../../audit.ts";
import type { AuthenticatedContext } from "../../trpc.ts";
import type { OnboardingJobIdInput } from "./onboarding-job.schema.ts";

async function jobAndResource(ctx: AuthenticatedContext, jobId: string) {
  await ctx.server.recovered;
  const service = ctx.server.services.onboarding;
  const job = await service.store.findJob(jobId);
  if (!job) throw new AppError("NOT_FOUND", `No onboarding job ${jobId}.`);
  const resourceExists = await service.resourceExists(job, ctx.user.id);
  return { service, job, resourceExists };
}

/** What abandoning the job would remove (and keep), shown before the operator confirms. */
export async function abandonPlanHandler({
  ctx,
  input,
}: {
  ctx: AuthenticatedContext;
  input: OnboardingJobIdInput;
}) {
  const { job, resourceExists } = await jobAndResource(ctx, input.jobId);
  const plan = planAbandon(job, resourceExists, ctx.server.clusterServices.agentLocation);
  return {
    keeps: plan.keeps,
    actions: plan.actions.map(({ node, argv, what }) => ({ node, shell: quoteArgv(argv), what })),
  };
}

/** Carries out the clean-up the plan showed; the job is cancelled once all of it is done. */
export function abandonOnboardingHandler({
  ctx,
  input,
}: {
  ctx: AuthenticatedContext;
  input: OnboardingJobIdInput;
}) {
  return audited(ctx, "onboarding.abandon", { ...input }, async () => {
    const { service, job, resourceExists } = await jobAndResource(ctx, input.jobId);
    const deps = await service.deps(job.clusterId);
    const settled = await deps.locks.runExclusive(
      {
        clusterId: job.clusterId,
        vm: job.vm,
        holderId: ctx.user.id,
        holderName: ctx.user.email,
        operation: "onboarding.abandon",
        operationId: job.id,
      },
      () =>
        abandonOnboardingJob(deps, job, resourceExists, {
          actorId: ctx.user.id,
          actorName: ctx.user.email,
        }),
    );
    service.changed(settled);
    if (settled.state !== "cancelled") throw new AppError("COMMAND_FAILED", settled.error ?? "");
    return settled;
  });
}
