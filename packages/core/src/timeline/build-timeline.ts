import type { FailedAction, FenceEvent } from "../inventory/parse-crm-mon.ts";
import type { NodeTestResult } from "../onboarding/onboarding-job.types.ts";

/**
 * What a timeline event is: an operator's action, something Pacemaker did (a move it made
 * itself, a failed operation), something Corral's watch or recovery recorded, a move Corral
 * ran, a start/stop test.
 */
export const TIMELINE_KINDS = ["operator", "pacemaker", "watch", "move", "test"] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

export interface TimelineEvent {
  at: Date;
  kind: TimelineKind;
  /** Who did it: an operator's email, "Pacemaker" or "Corral". */
  who: string;
  vm: string | null;
  node: string | null;
  /** One line: what happened. */
  what: string;
  /** null: not an outcome (a finding opened is neither a success nor a failure). */
  ok: boolean | null;
}

/** The parts of a command-log action entry the timeline reads. */
export interface TimelineAction {
  startedAt: Date;
  actorId: string | null;
  actorName: string | null;
  action: string | null;
  vm: string | null;
  node: string | null;
  ok: boolean;
  detail: Record<string, unknown> | null;
}

/** The parts of a move's record the timeline reads (Corral's own and Pacemaker's). */
export interface TimelineMove {
  startedAt: Date;
  vm: string;
  fromNode: string | null;
  toNode: string;
  live: boolean;
  actorName: string | null;
  result: string;
  error: string | null;
}

export interface TimelineSources {
  actions: readonly TimelineAction[];
  moves: readonly TimelineMove[];
  tests: readonly Pick<
    NodeTestResult,
    "testedAt" | "vm" | "node" | "outcome" | "actorName" | "error"
  >[];
  /** crm_mon's failed operations, as the live inventory has them now. */
  failures: readonly FailedAction[];
  /** The fencer's recent events, as the live inventory has them now. */
  fencing: readonly FenceEvent[];
}

export interface TimelineFilter {
  vm?: string;
  node?: string;
  kinds?: readonly TimelineKind[];
  from?: Date;
  to?: Date;
}

/**
 * One time axis, newest first, of what Pacemaker did and what Corral and its operators did, for
 * a cluster, a VM or a node. Pure: the sources are read by the caller.
 */
export function buildTimeline(
  sources: TimelineSources,
  filter: TimelineFilter = {},
): TimelineEvent[] {
  const events: TimelineEvent[] = [
    ...sources.actions.map(fromAction),
    ...sources.moves.map(fromMove),
    ...sources.tests.map(
      (test): TimelineEvent => ({
        at: test.testedAt,
        kind: "test",
        who: test.actorName,
        vm: test.vm,
        node: test.node,
        what: `start/stop test on ${test.node}: ${test.outcome}${test.error ? ` (${test.error})` : ""}`,
        ok: test.outcome === "succeeded",
      }),
    ),
    ...sources.failures.flatMap((failure): TimelineEvent[] => {
      const at = new Date(failure.at);
      if (Number.isNaN(at.getTime())) return [];
      return [
        {
          at,
          kind: "pacemaker",
          who: "Pacemaker",
          vm: failure.resource,
          node: failure.node,
          what: `${failure.operation} failed on ${failure.node}: ${failure.exitStatus}${failure.exitReason ? ` (${failure.exitReason})` : ""}`,
          ok: false,
        },
      ];
    }),
    ...sources.fencing.flatMap((event): TimelineEvent[] => {
      // crm_mon writes "2026-11-29 20:57:40Z"; a pending fencing has no time yet.
      const at = new Date((event.completed ?? "").replace(" ", "T"));
      if (Number.isNaN(at.getTime())) return [];
      return [
        {
          at,
          kind: "pacemaker",
          who: "Pacemaker",
          vm: null,
          node: event.target,
          what: `${event.action} of ${event.target} (fencing, by ${event.delegate ?? "?"}): ${event.status}${event.exitReason ? ` (${event.exitReason})` : ""}`,
          ok: event.status === "success",
        },
      ];
    }),
  ];
  return events
    .filter(
      (event) =>
        (!filter.vm || event.vm === filter.vm) &&
        (!filter.node || event.node === filter.node) &&
        (!filter.kinds || filter.kinds.includes(event.kind)) &&
        (!filter.from || event.at >= filter.from) &&
        (!filter.to || event.at <= filter.to),
    )
    .sort((a, b) => b.at.getTime() - a.at.getTime());
}

function fromAction(action: TimelineAction): TimelineEvent {
  const name = action.action ?? "action";
  // Corral's own entries: a finding the watch opened or resolved, an operation recovered.
  const watch = action.actorId === null;
  const kind = typeof action.detail?.kind === "string" ? ` ${action.detail.kind}` : "";
  return {
    at: action.startedAt,
    kind: watch ? "watch" : "operator",
    who: action.actorName ?? "Corral",
    vm: action.vm,
    node: action.node,
    what: `${name}${watch ? kind : ""}`,
    ok: watch ? null : action.ok,
  };
}

function fromMove(move: TimelineMove): TimelineEvent {
  const pacemaker = move.actorName === "Pacemaker";
  const how = move.live ? "live migration" : "move (stop and start)";
  return {
    at: move.startedAt,
    kind: pacemaker ? "pacemaker" : "move",
    who: move.actorName ?? "Corral",
    vm: move.vm,
    node: move.toNode,
    what: `${how} ${move.fromNode ?? "?"} -> ${move.toNode}: ${move.result}${move.error ? ` (${move.error})` : ""}`,
    ok:
      move.result === "running"
        ? null
        : move.result === "succeeded" || (pacemaker && move.result !== "failed"),
  };
}
