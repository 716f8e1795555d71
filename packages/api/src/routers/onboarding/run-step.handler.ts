import { AppError, applyOnboarding, runOnboardingStep, stepBlocker } from "@corral/core";
import { audited } from "../../audit.ts";
import type { AuthenticatedContext } from "../../trpc.ts";
import { refuseConfigPathOutsideDirectories } from "../settings/config-directories.ts";
import type { RunStepInput } from "./onboarding-job.schema.ts";

/**
 * Starts a step and returns at once: a step can take minutes (a start/stop test per node), so
 * its progress reaches the page through `onboarding.live`, and the job keeps it if the page goes.
 */
export async function runStepHandler({
  ctx,
  input,
}: {
  ctx: AuthenticatedContext;
  input: RunStepInput;
}) {
  await ctx.server.recovered;
  const service = ctx.server.services.onboarding;
  const job = await service.store.findJob(input.jobId);
  if (!job) throw new AppError("NOT_FOUND", `No onboarding job ${input.jobId}.`);
  if (job.state === "running") {
    throw new AppError("VM_BUSY", `${job.vm} is already running the ${job.currentStep} step.`);
  }
  const blocker = stepBlocker(job, input.request.step);
  if (blocker) throw new AppError("CONFLICT", blocker);
  // The directories may have narrowed since the job took its path.
  await refuseConfigPathOutsideDirectories(ctx.server.settings, job.settings.configPath);
  const deps = await service.deps(job.clusterId);
  const actor = { actorId: ctx.user.id, actorName: ctx.user.email };
  const run = audited(
    ctx,
    `onboarding.${input.request.step}`,
    { jobId: job.id, ...input.request },
    () => runOnboardingStep(deps, job.id, input.request, actor),
    { clusterId: job.clusterId, vm: job.vm },
  );
  // Failures inside the step are in the job; what is left (the VM held by another operation,
  // a job that moved on) goes into the job's log so the page shows it.
  void run.catch(async (error: unknown) => {
    const latest = await service.store.findJob(job.id);
    if (!latest) return;
    const refused = applyOnboarding(latest, {
      type: "request-refused",
      message: error instanceof Error ? error.message : String(error),
      at: new Date().toISOString(),
    });
    if (refused === latest) return;
    await service.store.saveJob(refused);
    service.changed(refused);
  });
  return { started: input.request.step };
}
