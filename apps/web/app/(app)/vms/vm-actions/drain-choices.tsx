"use client";

import { Button } from "@/components/button.tsx";
import type { ResourceActionInput, StandbyPlan } from "@/lib/trpc-types.ts";

/** The operator's word on a drain: per VM how it goes, in order, and how many at once. */
export type DrainChoices = NonNullable<Extract<ResourceActionInput, { kind: "node" }>["evacuate"]>;
type Strategy = DrainChoices["vms"][number]["strategy"];
type PlannedMove = StandbyPlan["moves"][number];

const STRATEGY_LABELS: Record<Strategy, (move: PlannedMove) => string> = {
  live: (move) => `live to ${move.to}`,
  restart: (move) => `stop, start on ${move.to} (reboots)`,
  hold: () => "stop now, start on Bring back",
};

const CONCURRENCY = [1, 2, 3, 4, 8] as const;

/** A select that sits in a line of text. */
const INLINE_SELECT =
  "rounded-md border border-slate-300 bg-white px-2 py-1 text-xs dark:border-slate-600 dark:bg-slate-900";

/** The scheduler's own plan as the first choice: its strategy and order, 2 at a time. */
export function defaultChoices(moves: readonly PlannedMove[]): DrainChoices {
  return {
    vms: moves.map((move) => ({ resource: move.resource, strategy: move.strategies[0] ?? "hold" })),
    concurrency: 2,
  };
}

/**
 * Per VM the scheduler would move: live (where it may), stopped and started on the planned
 * node, or held (stopped now, started again by Bring back); the order they go in (Earlier);
 * how many move at once. Corral makes these moves before the standby.
 */
export function DrainChoicesForm({
  moves,
  value,
  onChange,
}: {
  moves: readonly PlannedMove[];
  value: DrainChoices;
  onChange: (next: DrainChoices) => void;
}) {
  const setStrategy = (resource: string, strategy: Strategy) =>
    onChange({
      ...value,
      vms: value.vms.map((vm) => (vm.resource === resource ? { ...vm, strategy } : vm)),
    });
  const earlier = (index: number) => {
    const vms = [...value.vms];
    const [moved] = vms.splice(index, 1);
    if (moved) vms.splice(index - 1, 0, moved);
    onChange({ ...value, vms });
  };
  return (
    <fieldset className="space-y-1 text-xs" data-testid="drain-choices">
      <legend className="font-medium">
        Corral moves them first, in this order, then the standby moves whatever is left:
      </legend>
      <ol className="list-decimal space-y-1 pl-5">
        {value.vms.map((vm, index) => {
          const move = moves.find((candidate) => candidate.resource === vm.resource);
          if (!move) return null;
          return (
            <li key={vm.resource} data-testid="drain-choice" data-resource={vm.resource}>
              <span className="inline-flex flex-wrap items-center gap-2">
                <span className="font-mono">{vm.resource}</span>
                <select
                  className={INLINE_SELECT}
                  aria-label={`How ${vm.resource} leaves`}
                  data-testid="input-drain-strategy"
                  value={vm.strategy}
                  onChange={(event) => setStrategy(vm.resource, event.target.value as Strategy)}
                >
                  {move.strategies.map((strategy) => (
                    <option key={strategy} value={strategy}>
                      {STRATEGY_LABELS[strategy](move)}
                    </option>
                  ))}
                </select>
                {index > 0 ? (
                  <Button
                    variant="secondary"
                    className="px-2 py-0.5 text-xs"
                    data-testid="action-drain-earlier"
                    onClick={() => earlier(index)}
                  >
                    Earlier
                  </Button>
                ) : null}
              </span>
            </li>
          );
        })}
      </ol>
      <p className="inline-flex flex-wrap items-center gap-2">
        At most
        <select
          className={INLINE_SELECT}
          aria-label="How many move at once"
          data-testid="input-drain-concurrency"
          value={value.concurrency}
          onChange={(event) => onChange({ ...value, concurrency: Number(event.target.value) })}
        >
          {CONCURRENCY.map((count) => (
            <option key={count} value={count}>
              {count}
            </option>
          ))}
        </select>
        at once. Each stays on its new node by a move constraint until the standby is in place, then
        the constraint is cleared.
      </p>
    </fieldset>
  );
}
