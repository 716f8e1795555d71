import { AppError } from "@corral/core";
import { operatorProcedure, router, viewerProcedure } from "../../trpc.ts";
import { abandonOnboardingHandler, abandonPlanHandler } from "./abandon-onboarding.handler.ts";
import {
  listOnboardingInput,
  onboardingJobIdInput,
  previewCommandInput,
  resourceFormInput,
  runStepInput,
  startOnboardingInput,
  updateOnboardingInput,
} from "./onboarding-job.schema.ts";
import { previewCommandHandler, resourceFormHandler } from "./resource-form.handler.ts";
import { runStepHandler } from "./run-step.handler.ts";
import { startOnboardingHandler } from "./start-onboarding.handler.ts";
import { resumeOnboardingHandler, updateOnboardingHandler } from "./update-onboarding.handler.ts";

export const onboardingRouter = router({
  list: viewerProcedure.input(listOnboardingInput).query(async ({ ctx, input }) => {
    await ctx.server.recovered;
    const service = ctx.server.services.onboarding;
    return service.store.listJobs({ ...input, limit: 100 });
  }),
  get: viewerProcedure.input(onboardingJobIdInput).query(async ({ ctx, input }) => {
    await ctx.server.recovered;
    const service = ctx.server.services.onboarding;
    const job = await service.store.findJob(input.jobId);
    if (!job) throw new AppError("NOT_FOUND", `No onboarding job ${input.jobId}.`);
    return job;
  }),
  /** The job now, then after every saved change (per-node progress, log) over SSE. */
  live: viewerProcedure.input(onboardingJobIdInput).subscription(async function* ({
    ctx,
    input,
    signal,
  }) {
    await ctx.server.recovered;
    const service = ctx.server.services.onboarding;
    const changes = service.changes(input.jobId, signal);
    const job = await service.store.findJob(input.jobId);
    if (!job) throw new AppError("NOT_FOUND", `No onboarding job ${input.jobId}.`);
    yield job;
    for await (const changed of changes) yield changed;
  }),
  resourceForm: viewerProcedure.input(resourceFormInput).query(resourceFormHandler),
  previewCommand: viewerProcedure.input(previewCommandInput).query(previewCommandHandler),
  start: operatorProcedure.input(startOnboardingInput).mutation(startOnboardingHandler),
  runStep: operatorProcedure.input(runStepInput).mutation(runStepHandler),
  update: operatorProcedure.input(updateOnboardingInput).mutation(updateOnboardingHandler),
  resume: operatorProcedure.input(onboardingJobIdInput).mutation(resumeOnboardingHandler),
  /** What abandoning would remove on the nodes and what it keeps, before the confirmation. */
  abandonPlan: viewerProcedure.input(onboardingJobIdInput).query(abandonPlanHandler),
  abandon: operatorProcedure.input(onboardingJobIdInput).mutation(abandonOnboardingHandler),
});
