import { z } from "zod";
import { type RunAgentOptions, runAgent } from "../agent/run-agent.ts";
import { AppError } from "../errors.ts";
import { err, ok, type Result } from "../result.ts";
import type { NodeTarget } from "../ssh/node-target.ts";
import { firstAnswer } from "../ssh/run-on-nodes.ts";
import type { SshPool } from "../ssh/ssh-pool.ts";

const simulatedActionSchema = z.object({
  /** crm_simulate's words: migrate, move, stop, start, restart, recover, promote, ... */
  action: z.string(),
  resource: z.string(),
  source: z.string().nullable(),
  dest: z.string().nullable(),
  reason: z.string().nullable(),
});
export type SimulatedAction = z.infer<typeof simulatedActionSchema>;

/** What Pacemaker's scheduler would do if a node went into standby, resource by resource. */
export interface StandbyPlan {
  node: string;
  /** Moved elsewhere: live (migrate_to/migrate_from) or stopped here and started there. */
  moves: { resource: string; from: string; to: string; live: boolean }[];
  /** Stopped with nowhere to go, and Pacemaker's reason ("node availability", ...). */
  stops: { resource: string; reason: string | null }[];
  /** Anything else the transition does (a start, a restart elsewhere), as crm_simulate says. */
  others: SimulatedAction[];
}

/** Sorts crm_simulate's actions into the moves, the stops and the rest. Pure. */
export function standbyPlanOf(node: string, actions: readonly SimulatedAction[]): StandbyPlan {
  const plan: StandbyPlan = { node, moves: [], stops: [], others: [] };
  for (const action of actions) {
    if ((action.action === "migrate" || action.action === "move") && action.source && action.dest) {
      plan.moves.push({
        resource: action.resource,
        from: action.source,
        to: action.dest,
        live: action.action === "migrate",
      });
    } else if (action.action === "stop") {
      plan.stops.push({ resource: action.resource, reason: action.reason });
    } else {
      plan.others.push(action);
    }
  }
  return plan;
}

/**
 * Asks Pacemaker's own scheduler through the agent (a `simulate-*` command: crm_simulate on a
 * copy of the live CIB), on the first of `nodes` that answers. Nothing in the cluster changes.
 */
export async function askScheduler<T>(
  pool: SshPool,
  nodes: readonly NodeTarget[],
  command: string,
  args: readonly string[],
  schema: z.ZodType<T>,
  options: RunAgentOptions = {},
): Promise<Result<T>> {
  const answer = await firstAnswer(
    nodes,
    (target) => runAgent(pool, target, command, [...args], schema, options),
    (failure) => failure.code === "NODE_UNREACHABLE",
  );
  if (!answer.node) {
    return err(answer.failures.at(-1) ?? new AppError("NOT_FOUND", "No node to ask."));
  }
  return ok(answer.value);
}

export const simulatedActionsSchema = z.array(simulatedActionSchema);

/**
 * What a standby of `node` would do: the node's standby attribute set on the copy (agent
 * `simulate-standby`).
 */
export async function simulateStandby(
  pool: SshPool,
  nodes: readonly NodeTarget[],
  node: string,
  options: RunAgentOptions = {},
): Promise<Result<StandbyPlan>> {
  const answer = await askScheduler(
    pool,
    nodes,
    "simulate-standby",
    [node],
    z.object({ actions: simulatedActionsSchema }),
    options,
  );
  return answer.ok ? ok(standbyPlanOf(node, answer.value.actions)) : answer;
}
