import { whereItRuns } from "../operations/where-it-runs.ts";
import type { NodeTarget } from "../ssh/node-target.ts";
import type { OnboardingJob } from "./onboarding-job.types.ts";
import type { OnboardingDeps } from "./steps/step-run.ts";

/**
 * At start-up: jobs left "running" whose step no live Corral holds any more (`isHeld`: the VM
 * lock of the process that ran it is gone or stale) become interrupted, each saying where its
 * VM runs now (the node-local test destroys it when Corral's session drops, so normally nowhere).
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
    const { runningOn, note } = await whereItRuns(
      deps.pool,
      await nodesOf(running.clusterId),
      { name: running.vm, uuid: running.uuid },
      { clusterId: running.clusterId, vm: running.vm, ...deps.agentLocation },
    );
    const job = await deps.store.interruptJob(running.id, { runningOn, note });
    if (job) recovered.push(job);
  }
  return recovered;
}
