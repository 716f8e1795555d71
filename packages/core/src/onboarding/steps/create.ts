import { parseAgentMetadata } from "../../agent/parse-agent-metadata.ts";
import { readAgentMetadataXml } from "../../agent/read-agent-metadata-xml.ts";
import { firstAnswer } from "../../ssh/run-on-nodes.ts";
import { validateResourceOptions } from "../build-resource-create-command.ts";
import { checkMigrationReadiness } from "../check-migration-readiness.ts";
import { checkMonitorScripts } from "../check-storage.ts";
import { createVirtualDomainResource } from "../create-virtual-domain-resource.ts";
import { ensureDomainRunsNowhere, locateDomain } from "../locate-domain.ts";
import { undefineDomainArgv } from "../prepare-domain.ts";
import { migrationParamsOf } from "../propose-resource-options.ts";
import type { StepContext, StepRun } from "./step-run.ts";

export interface CreateRequest {
  step: "create";
}

/**
 * Create: the options checked against the agent's metadata and the nodes, live migration tested
 * again when allowed, then the resource created bound to the allowed nodes and awaited Started;
 * a definition left on another node is removed.
 */
export async function runCreateStep(
  run: StepRun<"create">,
  _request: CreateRequest,
  context: StepContext,
): Promise<void> {
  const { job } = run;
  const options = job.settings.resourceOptions;
  if (!options) return run.fail("Fill in the resource options first.");
  // Read where the resource will run; without the metadata the options cannot be checked,
  // and pcs would store a misspelt or mistyped option that fails only at the first start.
  const read = await firstAnswer(run.targets(job.allowedNodes), (node) =>
    readAgentMetadataXml(run.deps.pool, node, undefined, context),
  );
  if (!read.node) {
    return run.fail(
      `The resource was not created: the VirtualDomain agent's metadata could not be read on any allowed node, so the options cannot be checked (${read.failures.map((f) => `${f.context.node ?? "?"}: ${f.message}`).join("; ") || "no allowed node"}).`,
    );
  }
  const issues = validateResourceOptions(parseAgentMetadata(read.value.xml), options);
  if (issues.length)
    return run.fail(issues.map((i) => `${i.field}: ${i.message}`).join(" "), issues);
  const missing = await checkMonitorScripts(
    run.deps.pool,
    run.targets(job.allowedNodes),
    options,
    context,
  );
  if (missing.length) return run.fail(missing.map((i) => i.message).join(" "), missing);
  if (options.allowMigrate && job.allowedNodes.length > 1) {
    // The options may differ from what the migration step tested: test the exact URI again.
    const probes = await checkMigrationReadiness(
      run.deps.pool,
      run.targets(job.allowedNodes),
      migrationParamsOf(job),
      context,
    );
    if (!probes.ok) return run.fail(probes.error.message);
    const failures = probes.value.filter((p) => !p.ok);
    if (failures.length && !options.acceptRestartMoves) {
      return run.fail(
        `allow-migrate=true, but live migration would fail: ${failures.map((p) => p.problem).join("; ")}. Pacemaker would stop and start the VM instead. Fix it, turn allow-migrate off, or accept that moves will stop and start it.`,
        failures,
      );
    }
  }
  const nowhere = await ensureDomainRunsNowhere(
    run.deps.pool,
    run.deps.clusterNodes,
    { name: job.vm, uuid: job.uuid },
    context,
  );
  if (!nowhere.ok) return run.fail(nowhere.error.message);
  await run.node(
    job.allowedNodes[0] ?? "",
    "running",
    "pcs resource create, then waiting for Started",
  );
  const created = await createVirtualDomainResource(
    run.deps.pool,
    run.targets(job.allowedNodes),
    {
      name: job.resourceName,
      configPath: job.settings.configPath,
      options,
      allowedNodes: job.allowedNodes,
      waitS: 120,
    },
    context,
  );
  if (!created.ok) {
    await run.node(job.allowedNodes[0] ?? "", "failed", created.error.message);
    return run.fail(created.error.message);
  }
  await run.node(
    job.allowedNodes[0] ?? "",
    "succeeded",
    `Started on ${created.value.startedOn}`,
    created.value.waitedMs,
  );
  // VirtualDomain's start undefined the domain where it started; a definition left on the
  // source node (when Pacemaker chose another) must go too.
  const left = await locateDomain(
    run.deps.pool,
    run.deps.clusterNodes,
    { name: job.vm, uuid: job.uuid },
    context,
  );
  if (!left.ok)
    return run.fail(
      `${job.resourceName} is Started on ${created.value.startedOn}, but where ${job.vm} is still defined could not be checked: ${left.error.message}`,
    );
  for (const sighting of left.value.filter((s) => s.domain.persistent)) {
    const [target] = run.targets([sighting.node]);
    if (!target) continue;
    const removed = await run.deps.pool.run(target, undefineDomainArgv(job.vm), context);
    if (!removed.ok) {
      return run.fail(
        `${job.resourceName} is Started on ${created.value.startedOn}, but the definition left on ${sighting.node} could not be removed: ${removed.error.message}`,
      );
    }
    run.log(
      "info",
      `Definition of ${job.vm} removed on ${sighting.node}: Pacemaker runs it now`,
      sighting.node,
    );
  }
  await run.succeed(`${job.resourceName} is Started on ${created.value.startedOn}.`, created.value);
}
