import type { Result } from "../../result.ts";
import { preflightVm } from "../preflight-vm.ts";
import { disableAutostart, shutdownDomain } from "../prepare-domain.ts";
import type { StepContext, StepRun } from "./step-run.ts";

export interface PreflightRequest {
  step: "preflight";
  /** Fixes the operator agreed to, done before the checks run again. */
  shutdown?: { destroyAfterTimeout: boolean };
  disableAutostart?: boolean;
}

/**
 * Preflight: the fixes the operator agreed to (shut the VM down, turn autostart off), then the
 * checks again; on success the job knows the source node and the domain's UUID.
 */
export async function runPreflightStep(
  run: StepRun<"preflight">,
  request: PreflightRequest,
  context: StepContext,
): Promise<void> {
  const { job } = run;
  const nodes = run.deps.clusterNodes;
  if (request.shutdown || request.disableAutostart) {
    const before = await preflightVm(
      run.deps.pool,
      nodes,
      { domain: job.vm, resourceName: job.resourceName },
      context,
    );
    if (!before.ok) return run.fail(before.error.message);
    for (const check of before.value.checks) {
      for (const name of check.nodes) {
        const [target] = run.targets([name]);
        if (!target) continue;
        if (check.fix === "shutdown" && request.shutdown) {
          await run.node(
            name,
            "running",
            `Shutting ${job.vm} down on ${name} (up to ${job.settings.shutdownTimeoutS} s)`,
          );
          const stopped = await shutdownDomain(
            run.deps.pool,
            target,
            {
              domain: job.vm,
              timeoutS: job.settings.shutdownTimeoutS,
              destroyAfterTimeout: request.shutdown.destroyAfterTimeout,
            },
            context,
          );
          if (!stopped.ok) {
            await run.node(name, "failed", stopped.error.message);
            return run.fail(stopped.error.message, before.value);
          }
          await run.node(
            name,
            "succeeded",
            `${job.vm} stopped on ${name} (${stopped.value.method === "graceful" ? "graceful shutdown" : "destroyed after the timeout"})`,
            stopped.value.ms,
          );
        }
        if (check.fix === "disable-autostart" && request.disableAutostart) {
          const done = await disableAutostart(run.deps.pool, target, job.vm, context);
          await run.node(
            name,
            done.ok ? "succeeded" : "failed",
            done.ok ? `Autostart turned off on ${name}` : describe(done),
          );
          if (!done.ok) return run.fail(describe(done), before.value);
        }
      }
    }
  }
  const report = await preflightVm(
    run.deps.pool,
    nodes,
    { domain: job.vm, resourceName: job.resourceName },
    context,
  );
  if (!report.ok) return run.fail(report.error.message);
  run.record({
    type: "domain-found",
    sourceNode: report.value.sourceNode,
    uuid: report.value.domain.uuid,
  });
  const failed = report.value.checks.filter((c) => !c.ok);
  if (failed.length > 0) return run.fail(failed.map((c) => c.message).join(" "), report.value);
  await run.succeed(
    `${job.vm} (defined on ${report.value.sourceNode}) is ready to be onboarded.`,
    report.value,
  );
}

function describe<T>(result: Result<T>): string {
  return result.ok ? "ok" : result.error.message;
}
