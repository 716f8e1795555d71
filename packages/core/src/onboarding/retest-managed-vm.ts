import { AppError } from "../errors.ts";
import { err, ok, type Result } from "../result.ts";
import type { NodeTarget } from "../ssh/node-target.ts";
import { firstAnswer } from "../ssh/run-on-nodes.ts";
import type { CommandContext, SshPool } from "../ssh/ssh-pool.ts";
import {
  type ResourceAction,
  resourceActionArgv,
  runResourceAction,
} from "../vm-actions/resource-actions.ts";
import { waitForResourceRole } from "../vm-actions/wait-for-resource-role.ts";
import type { NodeTestResult } from "./onboarding-job.types.ts";
import {
  type StartStopTestSpec,
  startStopTestCommands,
  testStartStopArgv,
  testStartStopOnNode,
  toTestResult,
} from "./test-start-stop-on-node.ts";

export interface RetestRequest {
  clusterId: string;
  /** The pacemaker resource; `test.domain` is the libvirt domain it runs. */
  resource: string;
  /** Tested one at a time, in this order. */
  nodes: string[];
  test: Omit<StartStopTestSpec, "jobId">;
  actorId: string | null;
  actorName: string;
}

/** A re-test's phases; an allowed-nodes change copies the config first and binds last. */
export type RetestProgress =
  | { phase: "distributing" | "disabling" | "enabling" | "binding" }
  | { phase: "testing"; node: string }
  | { phase: "tested"; result: NodeTestResult };

export interface RetestOutcome {
  results: NodeTestResult[];
  /** Where pacemaker started the resource again. */
  startedOn: string | null;
}

const SETTLE_MS = 180_000;

/** What the operator confirms before a re-test: every command, in the order they run. */
export function retestCommands(resource: string, test: Omit<StartStopTestSpec, "jobId">) {
  return [
    resourceActionArgv("disable", { vm: resource }),
    testStartStopArgv(),
    ...startStopTestCommands(test),
    resourceActionArgv("enable", { vm: resource }),
  ];
}

/**
 * Re-tests a VM the cluster already manages: the node-local test needs the domain running
 * nowhere, so the resource is disabled (downtime), each node is tested in turn and recorded like
 * onboarding's tests, and the resource is enabled again whatever happened in between. The
 * caller holds the VM lock; the wizard's step runner is not involved.
 */
export async function retestManagedVm(
  pool: SshPool,
  clusterNodes: readonly NodeTarget[],
  request: RetestRequest,
  record: (result: NodeTestResult) => Promise<void>,
  onProgress: (progress: RetestProgress) => void = () => {},
  context: CommandContext = {},
): Promise<Result<RetestOutcome>> {
  const unknown = request.nodes.filter((name) => !clusterNodes.some((n) => n.id === name));
  if (unknown.length)
    return err(new AppError("INVALID_INPUT", `${unknown.join(", ")} is no node of this cluster.`));
  const vmContext = { ...context, vm: request.test.domain };
  const results: NodeTestResult[] = [];
  let tested: Result<unknown> = ok(null);
  let enabled: Result<string | null>;
  try {
    onProgress({ phase: "disabling" });
    tested = await settle(pool, clusterNodes, request.resource, "disable", "Stopped", vmContext);
    const commands = [testStartStopArgv(), ...startStopTestCommands(request.test)];
    // One node at a time: the VM must never run on two nodes.
    for (const target of clusterNodes.filter((n) => request.nodes.includes(n.id))) {
      if (!tested.ok) break;
      onProgress({ phase: "testing", node: target.id });
      const outcome = await testStartStopOnNode(
        pool,
        target,
        clusterNodes,
        {
          ...request.test,
          jobId: `retest-${target.id}-${Date.now()}`.replace(/[^A-Za-z0-9_-]/g, "_"),
        },
        vmContext,
      );
      const result = toTestResult(
        { ...request, vm: request.test.domain, jobId: null },
        target.id,
        outcome,
        commands,
      );
      await record(result);
      results.push(result);
      onProgress({ phase: "tested", result });
      // Found running outside the test: no other node is tested while it does.
      if (!outcome.ok && outcome.error.code === "VM_RUNNING") tested = outcome;
    }
  } finally {
    onProgress({ phase: "enabling" });
    enabled = await settle(pool, clusterNodes, request.resource, "enable", "Started", vmContext);
  }
  if (!enabled.ok) {
    return err(
      new AppError(
        enabled.error.code,
        `${request.resource} was not started again after the re-test: ${enabled.error.message} Run \`pcs resource enable ${request.resource}\` once the cause is fixed.`,
        enabled.error.context,
        { cause: enabled.error },
      ),
    );
  }
  if (!tested.ok) return err(tested.error);
  return ok({ results, startedOn: enabled.value });
}

/**
 * Runs the pcs action on the first node that answers, then waits for the role pacemaker reports;
 * answers the node the resource is on (null when stopped).
 */
async function settle(
  pool: SshPool,
  nodes: readonly NodeTarget[],
  resource: string,
  action: ResourceAction,
  role: string,
  context: CommandContext,
): Promise<Result<string | null>> {
  // Only a node that could not be reached passes the action on: pcs's own failure is the answer.
  const ran = await firstAnswer(
    nodes,
    (node) => runResourceAction(pool, node, action, { vm: resource }, context),
    (failure) => failure.code === "NODE_UNREACHABLE",
  );
  if (!ran.node) {
    return err(ran.failures.at(-1) ?? new AppError("NOT_FOUND", "The cluster has no node."));
  }
  const reached = await waitForResourceRole(
    pool,
    nodes,
    { resource, role, timeoutMs: SETTLE_MS },
    context,
  );
  return reached.ok ? ok(reached.value.resource?.nodes[0] ?? null) : reached;
}
