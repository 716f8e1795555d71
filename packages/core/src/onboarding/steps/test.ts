import type { NodeTestResult } from "../onboarding-job.types.ts";
import { startStopTestOf, testStartStopOnNode, toTestResult } from "../test-start-stop-on-node.ts";
import type { StepContext, StepRun } from "./step-run.ts";

export interface TestRequest {
  step: "test";
  /** The nodes to test this time; every allowed node when absent. */
  nodes?: string[];
}

/** The start/stop test on each chosen node, one node at a time; each result is recorded. */
export async function runTestStep(
  run: StepRun<"test">,
  request: TestRequest,
  context: StepContext,
): Promise<void> {
  const { job } = run;
  const chosen = request.nodes ?? job.allowedNodes;
  const unknown = chosen.filter((n) => !job.allowedNodes.includes(n));
  if (unknown.length)
    return run.fail(`${unknown.join(", ")} is not an allowed node of this onboarding.`);
  for (const name of job.allowedNodes)
    await run.node(
      name,
      chosen.includes(name) ? "pending" : "skipped",
      chosen.includes(name) ? "Waiting for its turn" : "Not tested this time",
    );
  let failures = 0;
  // One node at a time: the VM must never run on two nodes.
  for (const target of run.targets(chosen)) {
    await run.node(target.id, "running", `Starting ${job.vm} on ${target.id}`);
    const outcome = await testStartStopOnNode(
      run.deps.pool,
      target,
      run.deps.clusterNodes,
      {
        ...startStopTestOf(job),
        jobId: `${job.id.slice(0, 8)}-${target.id}-${Date.now()}`.replace(/[^A-Za-z0-9_-]/g, "_"),
      },
      context,
    );
    const result = toTestResult(
      { ...job, jobId: job.id },
      target.id,
      outcome,
      run.progress.commands,
    );
    await run.deps.store.recordTestResult(result);
    if (result.outcome !== "succeeded") failures++;
    await run.node(
      target.id,
      result.outcome === "succeeded" ? "succeeded" : "failed",
      summarise(result),
      (result.startMs ?? 0) + (result.stopMs ?? 0),
    );
    if (!outcome.ok && outcome.error.code === "VM_RUNNING") break;
  }
  if (failures)
    return run.fail(`The start/stop test failed on ${failures} node(s); see each node's details.`);
  await run.succeed(`${job.vm} started and stopped gracefully on ${chosen.join(", ")}.`);
}

function summarise(result: NodeTestResult): string {
  const seconds = (ms: number | null) => (ms === null ? "–" : `${(ms / 1000).toFixed(1)} s`);
  if (result.outcome === "succeeded")
    return `Started in ${seconds(result.startMs)}, shut down gracefully in ${seconds(result.stopMs)}`;
  return result.error ?? `Test ${result.outcome}`;
}
