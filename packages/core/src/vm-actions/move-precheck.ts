import { z } from "zod";
import { type RunAgentOptions, runAgent } from "../agent/run-agent.ts";
import type { Result } from "../result.ts";
import type { NodeTarget } from "../ssh/node-target.ts";
import type { SshPool } from "../ssh/ssh-pool.ts";
import { askScheduler, type SimulatedAction, simulatedActionsSchema } from "./simulate-standby.ts";

/** What the scheduler would do with the move's constraint, then once pcs cleared it again. */
export interface MoveSimulation {
  move: SimulatedAction[];
  afterClear: SimulatedAction[];
}

/**
 * Asks Pacemaker's scheduler about a move before it is made (agent `simulate-move`: the
 * constraint `pcs resource move` writes, on a copy of the live CIB, then cleared).
 */
export function simulateMove(
  pool: SshPool,
  nodes: readonly NodeTarget[],
  input: { resource: string; target: string },
  options: RunAgentOptions = {},
): Promise<Result<MoveSimulation>> {
  return askScheduler(
    pool,
    nodes,
    "simulate-move",
    [input.resource, input.target],
    z.object({ move: simulatedActionsSchema, afterClear: simulatedActionsSchema }),
    options,
  );
}

const nodeMemorySchema = z.object({ totalKiB: z.number(), availableKiB: z.number() });
export type NodeMemory = z.infer<typeof nodeMemorySchema>;

/** The node's MemTotal and MemAvailable, as its kernel counts them (agent `memory`). */
export function readNodeMemory(
  pool: SshPool,
  node: NodeTarget,
  options: RunAgentOptions = {},
): Promise<Result<NodeMemory>> {
  return runAgent(pool, node, "memory", [], nodeMemorySchema, options);
}

/** One thing to know before the click, in the operator's words. */
export interface MovePrecheckWarning {
  kind: "moves-back" | "not-placed" | "moves-others" | "memory" | "unchecked";
  message: string;
}

const MiB = (kib: number) => `${Math.round(kib / 1024)} MiB`;
const describe = (action: SimulatedAction) =>
  `${action.action} ${action.resource}${action.source ? ` on ${action.source}` : ""}${action.dest ? ` to ${action.dest}` : ""}`;

/**
 * What a move of `resource` to `target` would meet, judged before the click: the checks pcs's
 * own move makes after the fact (would Pacemaker place it there at all; would it move back once
 * pcs clears the move's constraint, which pcs then refuses), other resources the move would
 * move or stop, and the target's free memory against the VM's. Pure.
 */
export function judgeMovePrecheck(input: {
  resource: string;
  target: string;
  simulation: Result<MoveSimulation>;
  vmMemoryKiB: number | null;
  targetMemory: Result<NodeMemory> | null;
}): MovePrecheckWarning[] {
  const { resource, target, simulation } = input;
  const warnings: MovePrecheckWarning[] = [];
  if (!simulation.ok) {
    warnings.push({
      kind: "unchecked",
      message: `Pacemaker's scheduler could not be asked what this move would do: ${simulation.error.message}`,
    });
  } else {
    const own = simulation.value.move.filter((action) => action.resource === resource);
    const placed = own.some(
      (action) =>
        (["migrate", "move"].includes(action.action) && action.dest === target) ||
        (action.action === "start" && action.source === target),
    );
    if (!placed) {
      const instead = own.map(describe).join(", ");
      warnings.push({
        kind: "not-placed",
        message: `Pacemaker would not run ${resource} on ${target} even with the move's constraint${instead ? ` (it would ${instead})` : ""}: something rules ${target} out for it (a ban, its allowed nodes, the node's capacity under the placement strategy).`,
      });
    }
    const back = simulation.value.afterClear.find(
      (action) =>
        action.resource === resource &&
        ["migrate", "move"].includes(action.action) &&
        action.dest !== target,
    );
    if (placed && back) {
      warnings.push({
        kind: "moves-back",
        message: `Once pcs clears the move's constraint, Pacemaker would move ${resource} back to ${back.dest}: pcs then refuses the move. Lower what pulls it there first (its resource-stickiness, a location preference for ${back.dest}).`,
      });
    }
    const others = simulation.value.move.filter((action) => action.resource !== resource);
    if (others.length) {
      warnings.push({
        kind: "moves-others",
        message: `The move also makes Pacemaker ${others.map(describe).join("; ")}.`,
      });
    }
  }
  const memory = input.targetMemory;
  if (memory && !memory.ok) {
    warnings.push({
      kind: "unchecked",
      message: `${target}'s free memory could not be read: ${memory.error.message}`,
    });
  } else if (memory?.ok && input.vmMemoryKiB !== null) {
    if (memory.value.availableKiB < input.vmMemoryKiB) {
      warnings.push({
        kind: "memory",
        message: `${target} has ${MiB(memory.value.availableKiB)} available and ${resource} needs ${MiB(input.vmMemoryKiB)}: its qemu may fail to start there or push the node into swap.`,
      });
    }
  }
  return warnings;
}
