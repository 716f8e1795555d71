import { distributeConfig } from "../distribute-config.ts";
import type { StepContext, StepRun } from "./step-run.ts";

export interface DistributeRequest {
  step: "distribute";
}

/** Distribute: every other allowed node gets the dumped config, checked by its SHA-256. */
export async function runDistributeStep(
  run: StepRun<"distribute">,
  _request: DistributeRequest,
  context: StepContext,
): Promise<void> {
  const { job } = run;
  const config = job.config;
  if (!config) return run.fail("Dump the config first.");
  // Every run writes every other allowed node: writing the same bytes again is cheap, and a
  // node's row from an earlier run cannot vouch that its file is still there.
  const targets = job.allowedNodes.filter((name) => name !== job.sourceNode);
  for (const name of job.allowedNodes) {
    if (name === job.sourceNode) await run.node(name, "skipped", `${name} holds the original dump`);
    else await run.node(name, "running", `Writing ${job.settings.configPath}`);
  }
  const results = await distributeConfig(
    run.deps.pool,
    run.targets(targets),
    { path: job.settings.configPath, ...config },
    context,
  );
  for (const { nodeId, result } of results) {
    if (result.ok) run.record({ type: "config-written", node: nodeId });
    await run.node(
      nodeId,
      result.ok ? "succeeded" : "failed",
      result.ok ? `SHA-256 verified on ${nodeId}` : result.error.message,
    );
  }
  const missing = results.filter((r) => !r.result.ok).map((r) => r.nodeId);
  if (missing.length > 0) {
    return run.fail(
      `The config did not reach ${missing.join(", ")}; the other nodes have it. Fix the node(s) and run this step again.`,
    );
  }
  await run.succeed(
    `Every allowed node has ${job.settings.configPath} with SHA-256 ${config.sha256.slice(0, 12)}…`,
  );
}
