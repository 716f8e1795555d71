import { AppError } from "../errors.ts";
import { stepBlocker } from "../operations/onboarding-operation.ts";
import type { OnboardingJob, OnboardingStep, OnboardingStore } from "./onboarding-job.types.ts";
import { type CreateRequest, runCreateStep } from "./steps/create.ts";
import { type DistributeRequest, runDistributeStep } from "./steps/distribute.ts";
import { type DumpRequest, runDumpStep } from "./steps/dump.ts";
import { type MigrationRequest, runMigrationStep } from "./steps/migration.ts";
import { type PreflightRequest, runPreflightStep } from "./steps/preflight.ts";
import {
  type OnboardingActor,
  type OnboardingDeps,
  type StepContext,
  StepRun,
} from "./steps/step-run.ts";
import { runStorageStep, type StorageRequest } from "./steps/storage.ts";
import { runTestStep, type TestRequest } from "./steps/test.ts";

export type { OnboardingActor, OnboardingDeps } from "./steps/step-run.ts";

/** What the operator asks of each step. */
export interface StepRequests {
  preflight: PreflightRequest;
  dump: DumpRequest;
  distribute: DistributeRequest;
  storage: StorageRequest;
  migration: MigrationRequest;
  test: TestRequest;
  create: CreateRequest;
}
export type StepRequest = StepRequests[OnboardingStep];

/**
 * Runs one step of the job, holding the VM for the duration (one operation per VM), saving
 * every change (per-node progress, log) so a page that comes back later sees it all.
 */
export async function runOnboardingStep(
  deps: OnboardingDeps,
  jobId: string,
  request: StepRequest,
  actor: OnboardingActor,
): Promise<OnboardingJob> {
  const job = await findJob(deps.store, jobId);
  const blocker = stepBlocker(job, request.step);
  if (blocker) throw new AppError("CONFLICT", blocker);
  const context = {
    actorId: actor.actorId,
    clusterId: job.clusterId,
    vm: job.vm,
    ...deps.agentLocation,
  };
  return deps.locks.runExclusive(
    {
      clusterId: job.clusterId,
      vm: job.vm,
      holderId: actor.actorId,
      holderName: actor.actorName,
      operation: "onboarding",
      operationId: job.id,
    },
    async () => {
      // Read again under the lock: the job may have moved on since.
      const run = new StepRun(deps, await findJob(deps.store, jobId), request.step, actor);
      await run.begin();
      try {
        await runStepBody(run, request, context);
      } catch (error) {
        await run.fail(
          error instanceof AppError ? error.message : `Unexpected failure: ${String(error)}`,
        );
      }
      return run.job;
    },
  );
}

async function findJob(store: OnboardingStore, jobId: string): Promise<OnboardingJob> {
  const job = await store.findJob(jobId);
  if (!job) throw new AppError("NOT_FOUND", `No onboarding job ${jobId}.`);
  return job;
}

type StepRunners = {
  [S in OnboardingStep]: (
    run: StepRun<S>,
    request: StepRequests[S],
    context: StepContext,
  ) => Promise<void>;
};

/** The body of the run's step, given the request for that step. */
function runStepBody<S extends OnboardingStep>(
  run: StepRun<S>,
  request: StepRequests[S],
  context: StepContext,
): Promise<void> {
  const body: StepRunners[S] = STEP_RUNNERS[run.step];
  return body(run, request, context);
}

const STEP_RUNNERS: StepRunners = {
  preflight: runPreflightStep,
  dump: runDumpStep,
  distribute: runDistributeStep,
  storage: runStorageStep,
  migration: runMigrationStep,
  test: runTestStep,
  create: runCreateStep,
};
