import { setTimeout as sleep } from "node:timers/promises";
import { whereItRuns } from "../operations/where-it-runs.ts";
import type { NodeTarget } from "../ssh/node-target.ts";
import type { OnboardingJob } from "./onboarding-job.types.ts";
import type { OnboardingDeps } from "./steps/step-run.ts";

/** How long a node-local start/stop test may take to destroy its domain once its Corral died. */
const TEST_CLEANUP_WAIT_MS = 20_000;

/**
 * At start-up, or in another instance's lease sweep: jobs left "running" whose step no live
 * Corral holds any more (`isHeld`: the VM lock of the process that ran it is gone or stale)
 * become interrupted, each saying where its VM runs now (the node-local test destroys it when
 * Corral's session drops, so normally nowhere).
 */
export async function recoverInterruptedJobs(
  deps: Pick<OnboardingDeps, "pool" | "store" | "agentLocation">,
  nodesOf: (clusterId: string) => Promise<NodeTarget[]>,
  isHeld: (job: OnboardingJob) => Promise<boolean>,
): Promise<OnboardingJob[]> {
  const recovered: OnboardingJob[] = [];
  for (const running of await deps.store.listJobs({ state: "running", limit: 1000 })) {
    if (await isHeld(running)) continue;
    // Where the VM runs is found before the job is marked, so the job never shows as
    // interrupted without it (a page opened meanwhile would keep a note without the answer).
    const nodes = await nodesOf(running.clusterId);
    const locate = () =>
      whereItRuns(
        deps.pool,
        nodes,
        { name: running.vm, uuid: running.uuid },
        { clusterId: running.clusterId, vm: running.vm, ...deps.agentLocation },
      );
    let { runningOn, note } = await locate();
    // Found by another instance's lease sweep within a second or two of the death, a start/stop
    // test's own job on the node may not have destroyed its domain yet: it does within seconds.
    for (
      let waited = 0;
      running.currentStep === "test" && runningOn?.length && waited < TEST_CLEANUP_WAIT_MS;
      waited += 1_000
    ) {
      await sleep(1_000);
      ({ runningOn, note } = await locate());
    }
    const job = await deps.store.interruptJob(running.id, { runningOn, note });
    if (job) recovered.push(job);
  }
  return recovered;
}
