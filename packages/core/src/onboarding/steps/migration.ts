import { checkMigrationReadiness } from "../check-migration-readiness.ts";
import type { MigrationReadiness } from "../onboarding-job.types.ts";
import { migrationParamsOf } from "../propose-resource-options.ts";
import type { StepContext, StepRun } from "./step-run.ts";

export interface MigrationRequest {
  step: "migration";
  /** The operator accepts that moves between the pairs that fail will stop and start it. */
  acceptRestartMoves?: boolean;
}

/**
 * Migration readiness: from each allowed node to each other, the remote URI VirtualDomain's
 * migrate_to will use, non-interactively; failing pairs pass only with the operator's acceptance.
 */
export async function runMigrationStep(
  run: StepRun<"migration">,
  request: MigrationRequest,
  context: StepContext,
): Promise<void> {
  const { job } = run;
  const params = migrationParamsOf(job);
  if (job.allowedNodes.length < 2) {
    const single: MigrationReadiness = { params, probes: [], acceptedRestartMoves: false };
    return run.succeed("One allowed node: nothing to migrate to.", single);
  }
  for (const name of job.allowedNodes) await run.node(name, "running", "Probing the other nodes");
  const probes = await checkMigrationReadiness(
    run.deps.pool,
    run.targets(job.allowedNodes),
    params,
    context,
  );
  if (!probes.ok) return run.fail(probes.error.message);
  for (const name of job.allowedNodes) {
    const bad = probes.value.filter((p) => p.from === name && !p.ok);
    await run.node(
      name,
      bad.length ? "failed" : "succeeded",
      bad.length
        ? bad.map((p) => p.problem).join("; ")
        : "Reaches every other node's libvirt without a prompt",
    );
  }
  const failures = probes.value.filter((p) => !p.ok);
  const pairs = failures.map((p) => `${p.from} -> ${p.to}`).join(", ");
  const accepted = failures.length > 0 && request.acceptRestartMoves === true;
  const detail: MigrationReadiness = {
    params,
    probes: probes.value,
    acceptedRestartMoves: accepted,
  };
  if (failures.length && !accepted) {
    return run.fail(
      `Live migration would fail for ${pairs}: Pacemaker would stop and start the VM instead. Fix root ssh between the nodes and run this step again, or accept that moves will stop and start it.`,
      detail,
    );
  }
  if (accepted) {
    run.log(
      "warn",
      `${run.actor.actorName} accepted that moves between ${pairs} will stop and start ${job.vm}.`,
    );
    return run.succeed(
      `Not ready for live migration (${pairs}); accepted: moves will stop and start ${job.vm}.`,
      detail,
    );
  }
  await run.succeed(
    `Every pair of allowed nodes reaches the other's libvirt at the URI the agent will use (${probes.value[0]?.uri ?? ""}, ...).`,
    detail,
  );
}
