import type { RunAgentOptions } from "../agent/run-agent.ts";
import { AppError } from "../errors.ts";
import { err, ok, type Result } from "../result.ts";
import type { NodeTarget } from "../ssh/node-target.ts";
import type { SshPool } from "../ssh/ssh-pool.ts";
import { describeSighting, waitForResourceRole } from "../vm-actions/wait-for-resource-role.ts";
import {
  buildResourceCreateCommand,
  type ResourceOptions,
} from "./build-resource-create-command.ts";

export interface CreatedResource {
  argv: string[];
  startedOn: string;
  waitedMs: number;
}

/**
 * `pcs resource create`, then waits until pacemaker reports the resource Started on one node.
 * A resource that fails to start stays created (pacemaker's record of the failure is what the
 * operator needs); the error says what pacemaker last reported.
 */
export async function createVirtualDomainResource(
  pool: SshPool,
  nodes: readonly NodeTarget[],
  input: { name: string; configPath: string; options: ResourceOptions; waitS: number },
  options: RunAgentOptions = {},
): Promise<Result<CreatedResource>> {
  const argv = buildResourceCreateCommand(input);
  const [first] = nodes;
  if (!first) return err(new AppError("INVALID_INPUT", "No node to run pcs on."));
  const created = await pool.run(first, argv, options);
  if (!created.ok) return created;
  const started = await waitForResourceRole(
    pool,
    nodes,
    { resource: input.name, role: "Started", timeoutMs: input.waitS * 1000 },
    options,
  );
  if (!started.ok) {
    const seen = started.lastSeen ? describeSighting(started.lastSeen) : started.error.message;
    return err(
      new AppError(
        "COMMAND_TIMEOUT",
        `${input.name} was created but is not Started after ${input.waitS} s (${seen}). Check pcs status; after fixing the cause run pcs resource cleanup ${input.name}.`,
        { node: first.id, command: argv },
      ),
    );
  }
  const where = started.value.resource?.nodes ?? [];
  return ok({ argv, startedOn: where[0] ?? "", waitedMs: started.value.waitedMs });
}
