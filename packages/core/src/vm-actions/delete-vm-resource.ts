import { type AgentLocation, agentArgv } from "../agent/agent-layout.ts";
import { runAgent } from "../agent/run-agent.ts";
import { AppError } from "../errors.ts";
import { fileSummarySchema, removedConfigSchema } from "../onboarding/onboarding-agent-protocol.ts";
import { err, ok, type Result } from "../result.ts";
import type { NodeTarget } from "../ssh/node-target.ts";
import type { CommandContext, SshPool } from "../ssh/ssh-pool.ts";
import { explainPcsFailure } from "./pcs-failure.ts";

export interface DeleteVmResourceInput {
  resource: string;
  domain: string;
  configPath: string;
  /** Where the VM is defined again (shut off), from that node's copy of the config. */
  defineOn: string;
  /** Remove the config file from every node afterwards (only while it is unchanged). */
  removeConfigs: boolean;
}

/**
 * The commands that give a VM back to libvirt, in an order that never loses it: Pacemaker stops
 * it and waits, the resource goes (its constraints with it), the domain is defined again on the
 * chosen node from the config file, and only then may the config files go.
 */
export function deleteVmResourceCommands(
  input: DeleteVmResourceInput,
  location: AgentLocation = {},
): { node: string | null; argv: string[] }[] {
  return [
    { node: null, argv: ["pcs", "resource", "disable", input.resource, "--wait=180"] },
    { node: null, argv: ["pcs", "resource", "delete", input.resource] },
    {
      node: input.defineOn,
      argv: ["virsh", "--connect", "qemu:///system", "define", input.configPath],
    },
    ...(input.removeConfigs
      ? [
          {
            node: null,
            argv: agentArgv("remove-config", [input.configPath, "<its SHA-256>"], location),
          },
        ]
      : []),
  ];
}

/** Runs deleteVmResourceCommands; stops at the first command that fails, saying what is done. */
export async function deleteVmResource(
  pool: SshPool,
  nodes: readonly NodeTarget[],
  input: DeleteVmResourceInput,
  context: CommandContext & AgentLocation = {},
): Promise<Result<{ definedOn: string; removedFrom: string[] }>> {
  const runner = nodes.find((node) => node.id === input.defineOn) ?? nodes[0];
  const target = nodes.find((node) => node.id === input.defineOn);
  if (!runner || !target) {
    return err(new AppError("NOT_FOUND", `${input.defineOn} is not a node of this cluster.`));
  }
  const scoped = { ...context, vm: input.resource };
  const [disable, remove, define] = deleteVmResourceCommands(input, context);
  for (const step of [disable, remove]) {
    const ran = await pool.run(runner, step?.argv ?? [], { ...scoped, timeoutMs: 240_000 });
    if (!ran.ok) return err(explainPcsFailure(ran, runner.id));
  }
  const defined = await pool.run(target, define?.argv ?? [], scoped);
  if (!defined.ok) {
    return err(
      new AppError(
        "COMMAND_FAILED",
        `The resource is gone, but defining ${input.domain} on ${target.id} failed: ${defined.error.message}. Define it by hand: virsh define ${input.configPath}`,
      ),
    );
  }
  const removedFrom: string[] = [];
  if (input.removeConfigs) {
    for (const node of nodes) {
      const summary = await runAgent(
        pool,
        node,
        "sha256",
        [input.configPath],
        fileSummarySchema,
        scoped,
      );
      if (!summary.ok) continue;
      const removed = await runAgent(
        pool,
        node,
        "remove-config",
        [input.configPath, summary.value.sha256],
        removedConfigSchema,
        scoped,
      );
      if (removed.ok && removed.value.removed) removedFrom.push(node.id);
    }
  }
  return ok({ definedOn: target.id, removedFrom });
}
