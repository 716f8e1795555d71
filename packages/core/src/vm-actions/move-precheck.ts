import { z } from "zod";
import { type RunAgentOptions, runAgent } from "../agent/run-agent.ts";
import type { OperationRecord } from "../inventory/parse-operation-history.ts";
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
  kind: "moves-back" | "not-placed" | "moves-others" | "memory" | "slow-transfer" | "unchecked";
  message: string;
}

const MiB = (kib: number) => `${Math.round(kib / 1024)} MiB`;
const describe = (action: SimulatedAction) =>
  `${action.action} ${action.resource}${action.source ? ` on ${action.source}` : ""}${action.dest ? ` to ${action.dest}` : ""}`;

/**
 * How long a live migration's memory copy would take, from what this cluster's live migrations
 * took: Pacemaker's record of each successful migrate_to (its exec-time) against the memory of
 * the VM it moved. A first pass only: a guest that dirties memory faster than the link copies it
 * takes longer, or never converges.
 */
export interface ConvergenceEstimate {
  /** Seconds to copy the VM's memory at the measured rate; null without a measurement. */
  seconds: number | null;
  /** The measured rate (median of the recent migrate_to), bytes per second. */
  bytesPerSecond: number | null;
  /** How many migrate_to the rate comes from. */
  samples: number;
  /** migrate_to's timeout on the resource, seconds; null when the resource sets none. */
  timeoutSeconds: number | null;
}

/** The most recent migrate_to a rate is taken from. */
const RATE_SAMPLES = 10;

export function estimateConvergence(input: {
  vmMemoryKiB: number | null;
  history: readonly OperationRecord[];
  /** The memory of the VM a resource runs, as the inventory knows it. */
  memoryKiBOf: (resource: string) => number | null;
  /** migrate_to's timeout as the resource's operation says it ("120s", "2min", "PT2M"). */
  migrateToTimeout: string | null;
}): ConvergenceEstimate {
  const rates = input.history
    .filter((op) => op.task === "migrate_to" && op.rc === 0 && (op.execMs ?? 0) > 0)
    .sort(
      (a, b) => (Date.parse(a.lastRcChange ?? "") || 0) - (Date.parse(b.lastRcChange ?? "") || 0),
    )
    .flatMap((op) => {
      const kib = input.memoryKiBOf(op.resource);
      return kib ? [(kib * 1024) / ((op.execMs ?? 1) / 1000)] : [];
    })
    .slice(-RATE_SAMPLES)
    .sort((a, b) => a - b);
  const bytesPerSecond = rates.length ? (rates[Math.floor(rates.length / 2)] ?? null) : null;
  return {
    seconds:
      bytesPerSecond && input.vmMemoryKiB ? (input.vmMemoryKiB * 1024) / bytesPerSecond : null,
    bytesPerSecond,
    samples: rates.length,
    timeoutSeconds: input.migrateToTimeout ? pacemakerSeconds(input.migrateToTimeout) : null,
  };
}

/** A Pacemaker time ("120", "120s", "500ms", "2min", "1h", or ISO 8601 "PT2M") in seconds. */
export function pacemakerSeconds(value: string): number | null {
  const plain = /^\s*(\d+(?:\.\d+)?)\s*(ms|msec|s|sec|m|min|h|hr)?\s*$/i.exec(value);
  if (plain) {
    const unit = (plain[2] ?? "s").toLowerCase();
    const factor = unit.startsWith("ms")
      ? 0.001
      : unit.startsWith("m")
        ? 60
        : unit.startsWith("h")
          ? 3600
          : 1;
    return Number(plain[1]) * factor;
  }
  const iso = /^P(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)$/i.exec(value.trim());
  if (iso && (iso[1] || iso[2] || iso[3])) {
    return Number(iso[1] ?? 0) * 3600 + Number(iso[2] ?? 0) * 60 + Number(iso[3] ?? 0);
  }
  return null;
}

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
  /** For a live migration: the memory copy's estimate against migrate_to's timeout. */
  estimate?: ConvergenceEstimate | null;
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
  const estimate = input.estimate;
  if (estimate?.seconds != null && estimate.timeoutSeconds != null) {
    if (estimate.seconds > estimate.timeoutSeconds / 2) {
      warnings.push({
        kind: "slow-transfer",
        message: `At the ${MiB((estimate.bytesPerSecond ?? 0) / 1024)}/s this cluster's last live migrations copied, ${resource}'s ${MiB(input.vmMemoryKiB ?? 0)} take about ${Math.round(estimate.seconds)} s to copy, and migrate_to times out after ${Math.round(estimate.timeoutSeconds)} s: a busy guest may not converge in time (Pacemaker then stops and starts it). Raise migrate_to's timeout first.`,
      });
    }
  }
  return warnings;
}
