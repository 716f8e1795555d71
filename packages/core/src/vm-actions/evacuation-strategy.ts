import type { StandbyPlan } from "./simulate-standby.ts";

/**
 * How a drain treats one VM that Pacemaker's scheduler would move away: live (a live migration,
 * when its resource allows it), restart (stopped here and started on the planned node: the guest
 * reboots), or hold (stopped now with `pcs resource disable`, started again by Bring back).
 * Browser-safe.
 */
export const EVACUATION_STRATEGIES = ["live", "restart", "hold"] as const;
export type EvacuationStrategy = (typeof EVACUATION_STRATEGIES)[number];

/** The operator's word on one VM of a drain; the list's order is the order they go in. */
export interface EvacuationChoice {
  resource: string;
  strategy: EvacuationStrategy;
}

/** A move Corral makes before the standby, to the node the scheduler planned. */
export interface EvacuationMove {
  resource: string;
  from: string;
  to: string;
  live: boolean;
}

/** What a drain does first, before the standby moves whatever is left. */
export interface EvacuationSteps {
  /** Stopped first (`pcs resource disable`), started again by Bring back. */
  holds: string[];
  /** Then moved, in the operator's order, at most `concurrency` at a time. */
  moves: EvacuationMove[];
  /** Choices that cannot be carried out, with why: the drain is refused. */
  refused: { resource: string; reason: string }[];
}

/** The strategies a planned move may take: live only where the scheduler would migrate it. */
export function strategiesFor(move: Pick<EvacuationMove, "live">): EvacuationStrategy[] {
  return move.live ? ["live", "restart", "hold"] : ["restart", "hold"];
}

/**
 * The operator's choices against the scheduler's fresh plan: each chosen VM the plan moves is
 * held or moved to the plan's node, in the order chosen; a VM the plan no longer moves (it moved
 * meanwhile, or would stop) is left to the standby, as Pacemaker decides. Choosing live for a
 * VM Pacemaker would not migrate is refused. Pure.
 */
export function evacuationSteps(
  plan: Pick<StandbyPlan, "moves">,
  choices: readonly EvacuationChoice[],
): EvacuationSteps {
  const steps: EvacuationSteps = { holds: [], moves: [], refused: [] };
  const seen = new Set<string>();
  for (const choice of choices) {
    if (seen.has(choice.resource)) {
      steps.refused.push({ resource: choice.resource, reason: "named twice" });
      continue;
    }
    seen.add(choice.resource);
    const planned = plan.moves.find((move) => move.resource === choice.resource);
    if (!planned) continue;
    if (!strategiesFor(planned).includes(choice.strategy)) {
      steps.refused.push({
        resource: choice.resource,
        reason: `Pacemaker would not migrate it live (no allow-migrate): restart or hold it`,
      });
    } else if (choice.strategy === "hold") {
      steps.holds.push(choice.resource);
    } else {
      steps.moves.push({ ...planned, live: choice.strategy === "live" });
    }
  }
  return steps;
}
