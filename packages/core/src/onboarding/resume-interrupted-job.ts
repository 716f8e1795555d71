import { AppError } from "../errors.ts";
import { applyOnboarding } from "../operations/onboarding-operation.ts";
import type { OnboardingJob, OnboardingStore } from "./onboarding-job.types.ts";
import type { OnboardingActor } from "./steps/step-run.ts";

/** Resume an interrupted job: back to waiting, the interrupted step ready to run again. */
export async function resumeInterruptedJob(
  store: OnboardingStore,
  jobId: string,
  actor: OnboardingActor,
): Promise<OnboardingJob> {
  const job = await store.findJob(jobId);
  if (!job) throw new AppError("NOT_FOUND", `No onboarding job ${jobId}.`);
  if (job.state !== "interrupted")
    throw new AppError("CONFLICT", `The onboarding of ${job.vm} is ${job.state}.`);
  const resumed = applyOnboarding(job, {
    type: "resumed",
    actorName: actor.actorName,
    at: new Date().toISOString(),
  });
  await store.saveJob(resumed);
  return resumed;
}
