import { checkStorage, describeUncheckable, listDomainStorage } from "../check-storage.ts";
import { checkStorageSources } from "../check-storage-sources.ts";
import type { StepContext, StepRun } from "./step-run.ts";

export interface StorageRequest {
  step: "storage";
}

/**
 * Storage: every path the domain uses is readable on every allowed node, and every source no
 * path check covers (volumes, network hosts) is reachable there.
 */
export async function runStorageStep(
  run: StepRun<"storage">,
  _request: StorageRequest,
  context: StepContext,
): Promise<void> {
  const { job } = run;
  if (!job.config) return run.fail("Dump the config first.");
  const { paths, uncheckable } = listDomainStorage(job.config.xml);
  // A VM on network storage alone would otherwise pass on zero paths without a word.
  const warnings = uncheckable.map(describeUncheckable);
  for (const warning of warnings) run.log("warn", warning);
  for (const name of job.allowedNodes)
    await run.node(name, "running", `Checking ${paths.length} path(s)`);
  const targets = run.targets(job.allowedNodes);
  const [report, sources] = await Promise.all([
    checkStorage(run.deps.pool, targets, paths, context),
    checkStorageSources(run.deps.pool, targets, uncheckable, context),
  ]);
  const problems = [
    ...report.problems.map((p) => ({
      node: p.node,
      what: `${p.path} (${p.use})`,
      problem: p.problem,
    })),
    ...sources.problems.map((p) => ({
      node: p.node,
      what: `${p.source} (${p.use})`,
      problem: p.problem,
    })),
  ];
  const ready: string[] = [];
  for (const { nodeId, result } of report.answers) {
    const sourceAnswer = sources.answers.find((a) => a.nodeId === nodeId)?.result;
    const own = problems.filter((p) => p.node === nodeId);
    if (!result.ok) await run.node(nodeId, "failed", result.error.message);
    else if (sourceAnswer && !sourceAnswer.ok)
      await run.node(nodeId, "failed", sourceAnswer.error.message);
    else if (own.length > 0)
      await run.node(nodeId, "failed", own.map((p) => `${p.what}: ${p.problem}`).join("; "));
    else {
      ready.push(nodeId);
      await run.node(nodeId, "succeeded", `All ${paths.length} path(s) readable`);
    }
  }
  const local = report.paths.filter((p) => p.nodeLocal).map((p) => p.path);
  const detail = {
    paths: report.paths,
    problems: report.problems,
    nodeLocal: local,
    uncheckable,
    sourceProblems: sources.problems,
  };
  const unchecked = warnings.length ? ` Not checkable from the nodes: ${warnings.join("; ")}.` : "";
  if (ready.length !== job.allowedNodes.length) {
    const bad = job.allowedNodes.filter((n) => !ready.includes(n));
    return run.fail(
      `Storage is missing or unreadable on ${bad.join(", ")}${local.length ? ` (node-local: ${local.join(", ")})` : ""}. Make it available there, or limit the allowed nodes to ${ready.join(", ") || "the nodes that have it"}.${unchecked}`,
      detail,
    );
  }
  await run.succeed(
    `${
      local.length
        ? `Storage is readable, but node-local: ${local.join(", ")}.`
        : `Every path (${paths.length}) is readable on every allowed node.`
    }${unchecked}`,
    detail,
  );
}
