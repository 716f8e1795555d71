import type { RunAgentOptions } from "../agent/run-agent.ts";
import { AppError } from "../errors.ts";
import {
  allowedNodesConstraintId,
  allowedNodesGeneration,
  allowedNodesOf,
  type LocationConstraint,
} from "../inventory/parse-location-constraints.ts";
import { whereItRunsOnceSettled } from "../operations/where-it-runs.ts";
import { err, ok, type Result } from "../result.ts";
import type { NodeTarget } from "../ssh/node-target.ts";
import { firstAnswer } from "../ssh/run-on-nodes.ts";
import type { CommandContext, SshPool } from "../ssh/ssh-pool.ts";
import { readConfigArgv, resyncConfig } from "../vm-actions/resync-config.ts";
import { allowedNodesConstraintArgv } from "./build-resource-create-command.ts";
import { distributeConfigArgv } from "./distribute-config.ts";
import type { NodeTestResult } from "./onboarding-job.types.ts";
import {
  type RetestOutcome,
  type RetestProgress,
  type RetestRequest,
  retestCommands,
  retestManagedVm,
} from "./retest-managed-vm.ts";

/** A change of the nodes a managed VM may run on, as planned before anything runs. */
export interface AllowedNodesPlan {
  resource: string;
  /** What the cluster's constraints allow now; every node when it has none. */
  current: string[];
  next: string[];
  /** Newly allowed: each gets the config file and passes the start/stop test before binding. */
  added: string[];
  removed: string[];
  /** The resource's config parameter, copied to the added nodes and tested there. */
  config: string | null;
  /** Nodes the VM runs on that it may no longer: Pacemaker moves it off when bound. */
  movesOff: string[];
  /** The new constraint first, then the deletion of the older ones: never unbound between. */
  bind: string[][];
  /** Every command, in order (copy, test, bind), for the confirmation. */
  commands: string[][];
}

const SETTLE_MS = 180_000;

/**
 * Plans the change, or says why it cannot be made. `constraints` are the resource's location
 * constraints as the cluster has them; `clusterNodes` every node's name.
 */
export function planAllowedNodesChange(input: {
  resource: string;
  next: readonly string[];
  clusterNodes: readonly string[];
  constraints: readonly LocationConstraint[];
  runningOn: readonly string[];
  configPath: string | null;
  test: RetestRequest["test"];
  agent?: RunAgentOptions;
}): Result<AllowedNodesPlan> {
  const next = [...new Set(input.next)];
  if (next.length === 0) return invalid("Allow at least one node.");
  const unknown = next.filter((node) => !input.clusterNodes.includes(node));
  if (unknown.length) return invalid(`${unknown.join(", ")} is no node of this cluster.`);
  const own = input.constraints.filter((c) => c.origin === "allowed-nodes");
  const allowed = allowedNodesOf(own);
  const current = input.clusterNodes.filter((node) => !allowed || allowed.includes(node));
  const added = next.filter((node) => !current.includes(node));
  const removed = current.filter((node) => !next.includes(node));
  if (!added.length && !removed.length && own.length === 1) {
    return invalid(`${input.resource} is already allowed on exactly ${next.join(", ")}.`);
  }
  if (added.length && !input.configPath) {
    return invalid(`${input.resource} has no config parameter to copy to ${added.join(", ")}.`);
  }
  const generation =
    Math.max(0, ...own.map((c) => allowedNodesGeneration(c.id, input.resource) ?? 0)) + 1;
  const bind = [
    allowedNodesConstraintArgv(
      input.resource,
      next,
      allowedNodesConstraintId(input.resource, generation),
    ),
    ...own.map((c) => ["pcs", "constraint", "delete", c.id]),
  ];
  const copy =
    added.length && input.configPath
      ? [
          readConfigArgv(input.configPath),
          ...distributeConfigArgv({ path: input.configPath, sha256: "<sha256>" }, input.agent),
        ]
      : [];
  return ok({
    resource: input.resource,
    current,
    next,
    added,
    removed,
    config: input.configPath,
    movesOff: input.runningOn.filter((node) => !next.includes(node)),
    bind,
    commands: [
      ...copy,
      ...(added.length ? retestCommands(input.resource, input.test) : []),
      ...bind,
    ],
  });
}

/**
 * Carries out a plan: the config copied to the added nodes (verified), the start/stop test on
 * each of them (the managed re-test: the resource is disabled meanwhile), and only when every
 * test passed, the new constraint. A failure before binding leaves the constraints as they were
 * and the VM started; the outcome is what the nodes and Pacemaker say afterwards.
 */
export async function changeAllowedNodes(
  pool: SshPool,
  clusterNodes: readonly NodeTarget[],
  plan: AllowedNodesPlan,
  request: Omit<RetestRequest, "nodes" | "resource">,
  record: (result: NodeTestResult) => Promise<void>,
  onProgress: (progress: RetestProgress) => void = () => {},
  context: CommandContext & RunAgentOptions = {},
): Promise<Result<RetestOutcome>> {
  const vmContext = { ...context, vm: request.test.domain };
  let results: NodeTestResult[] = [];
  if (plan.added.length) {
    onProgress({ phase: "distributing" });
    const copied = await copyConfig(pool, clusterNodes, plan, request.test.config, vmContext);
    if (!copied.ok) return notChanged(plan, copied.error);
    const tested = await retestManagedVm(
      pool,
      clusterNodes,
      { ...request, resource: plan.resource, nodes: plan.added },
      record,
      onProgress,
      context,
    );
    if (!tested.ok) return notChanged(plan, tested.error);
    results = tested.value.results;
    const failed = results.filter((result) => result.outcome !== "succeeded");
    if (failed.length) {
      return notChanged(
        plan,
        new AppError(
          "COMMAND_FAILED",
          `the start/stop test failed on ${failed.map((r) => r.node).join(", ")} (see its output in the test history).`,
        ),
      );
    }
  }
  onProgress({ phase: "binding" });
  for (const [index, argv] of plan.bind.entries()) {
    const ran = await firstAnswer(
      clusterNodes,
      (node) => pool.run(node, argv, vmContext),
      (failure) => failure.code === "NODE_UNREACHABLE",
    );
    if (!ran.node) {
      const failure = ran.failures.at(-1) ?? new AppError("NOT_FOUND", "The cluster has no node.");
      if (index === 0) return notChanged(plan, failure);
      return err(
        new AppError(
          failure.code,
          `${plan.resource}'s new allowed-nodes constraint is in place, but an older one could not be deleted (${failure.message}); until it is, the VM is kept to the nodes both allow. Run \`${plan.bind
            .slice(index)
            .map((a) => a.join(" "))
            .join(" && ")}\`.`,
          failure.context,
          { cause: failure },
        ),
      );
    }
  }
  // Pacemaker moves the VM off a node it may no longer run on: wait until it has, then ask
  // every node's libvirt where it runs.
  const where = await whereItRunsOnceSettled(
    pool,
    clusterNodes,
    { resource: plan.resource, domain: request.test.domain },
    {
      ...context,
      timeoutMs: SETTLE_MS,
      pollMs: 1_000,
      settled: (resource) => !resource?.nodes.some((node) => !plan.next.includes(node)),
    },
  );
  const runningOn = where.runningOn ?? [];
  if (runningOn.length !== 1 || !plan.next.includes(runningOn[0] ?? "")) {
    return err(
      new AppError(
        "COMMAND_FAILED",
        `${plan.resource} is now allowed on ${plan.next.join(", ")}, but ${where.note}`,
      ),
    );
  }
  return ok({ results, startedOn: runningOn[0] ?? null });
}

/** Copies the config from the first currently allowed node that has it to the added nodes. */
async function copyConfig(
  pool: SshPool,
  clusterNodes: readonly NodeTarget[],
  plan: AllowedNodesPlan,
  path: string,
  context: CommandContext & RunAgentOptions,
): Promise<Result<void>> {
  const sources = clusterNodes.filter((node) => plan.current.includes(node.id));
  const targets = clusterNodes.filter((node) => plan.added.includes(node.id));
  const copied = await firstAnswer(sources, (source) =>
    resyncConfig(pool, source, targets, path, context),
  );
  if (!copied.node) {
    const reasons = copied.failures.map((failure) => failure.message).join("; ");
    return err(
      new AppError("COMMAND_FAILED", `no allowed node could give its copy of ${path}: ${reasons}`),
    );
  }
  const failed = copied.value.filter(({ result }) => !result.ok);
  if (failed.length) {
    return err(
      new AppError(
        "COMMAND_FAILED",
        failed.map(({ result }) => (result.ok ? "" : result.error.message)).join("; "),
      ),
    );
  }
  return ok(undefined);
}

function notChanged(plan: AllowedNodesPlan, cause: AppError): Result<never> {
  return err(
    new AppError(
      cause.code,
      `The allowed nodes of ${plan.resource} are unchanged (${plan.current.join(", ")}): ${cause.message}`,
      cause.context,
      { cause },
    ),
  );
}

function invalid(message: string): Result<never> {
  return err(new AppError("INVALID_INPUT", message));
}
