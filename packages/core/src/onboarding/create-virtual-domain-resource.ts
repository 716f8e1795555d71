import type { RunAgentOptions } from "../agent/run-agent.ts";
import { AppError } from "../errors.ts";
import type { ClusterStatus } from "../inventory/parse-crm-mon.ts";
import { err, ok, type Result } from "../result.ts";
import type { NodeTarget } from "../ssh/node-target.ts";
import type { SshPool } from "../ssh/ssh-pool.ts";
import { describeSighting, waitForResourceRole } from "../vm-actions/wait-for-resource-role.ts";
import { type ResourceOptions, resourceCreationCommands } from "./build-resource-create-command.ts";

export interface CreatedResource {
  argv: string[];
  startedOn: string;
  waitedMs: number;
}

/**
 * The start failures that leave pacemaker nowhere to go: a failed start recorded on every
 * allowed node since `since` (the resource stays Stopped until a cleanup). Null otherwise.
 */
export function startFailedEverywhere(
  status: ClusterStatus,
  resource: string,
  allowedNodes: readonly string[],
  since: number,
): string | null {
  const failures = status.failedActions.filter(
    (action) =>
      action.resource === resource &&
      action.operation === "start" &&
      allowedNodes.includes(action.node) &&
      !(Date.parse(action.at) < since),
  );
  const failedOn = new Set(failures.map((action) => action.node));
  if (allowedNodes.length === 0 || !allowedNodes.every((node) => failedOn.has(node))) return null;
  return failures
    .map((action) => `${action.node}: ${action.exitReason || action.exitStatus}`)
    .join("; ");
}

/**
 * `pcs resource create --disabled`, the allowed-nodes constraint, `pcs resource enable`, then
 * waits until pacemaker reports the resource Started on one node, or until a start failed on
 * every allowed node (then at once, with pacemaker's exit reasons). A resource that fails to
 * start stays created (pacemaker's record of the failure is what the operator needs).
 */
export async function createVirtualDomainResource(
  pool: SshPool,
  nodes: readonly NodeTarget[],
  input: {
    name: string;
    configPath: string;
    options: ResourceOptions;
    allowedNodes: readonly string[];
    waitS: number;
  },
  options: RunAgentOptions = {},
): Promise<Result<CreatedResource>> {
  const commands = resourceCreationCommands(input);
  const [first] = nodes;
  if (!first) return err(new AppError("INVALID_INPUT", "No node to run pcs on."));
  const began = Date.now();
  for (const argv of commands) {
    const ran = await pool.run(first, argv, options);
    if (!ran.ok) return ran;
  }
  const everywhere = new AbortController();
  let reasons: string | null = null;
  const started = await waitForResourceRole(
    pool,
    nodes,
    {
      resource: input.name,
      role: "Started",
      timeoutMs: input.waitS * 1000,
      signal: everywhere.signal,
      onStatus: (status) => {
        // Fail-count timestamps have a one-second resolution.
        reasons = startFailedEverywhere(status, input.name, input.allowedNodes, began - 1000);
        if (reasons) everywhere.abort();
      },
    },
    options,
  );
  const [create] = commands;
  if (!started.ok) {
    const seen = started.lastSeen ? describeSighting(started.lastSeen) : started.error.message;
    const message = reasons
      ? `${input.name} was created but failed to start on every allowed node (${reasons}). Fix the cause, then run pcs resource cleanup ${input.name}.`
      : `${input.name} was created but is not Started after ${input.waitS} s (${seen}). Check pcs status; after fixing the cause run pcs resource cleanup ${input.name}.`;
    return err(
      new AppError(reasons ? "COMMAND_FAILED" : "COMMAND_TIMEOUT", message, {
        node: first.id,
        command: create,
      }),
    );
  }
  const where = started.value.resource?.nodes ?? [];
  return ok({ argv: create ?? [], startedOn: where[0] ?? "", waitedMs: started.value.waitedMs });
}
