import type { LocationConstraint } from "../inventory/parse-location-constraints.ts";
import type { Result } from "../result.ts";
import type { MoveConstraintMode } from "../vm-actions/move-constraint-mode.ts";
import type {
  MoveFailure,
  MoveOutcome,
  MovePhase,
  MoveProgress,
} from "../vm-actions/move-resource.ts";

/**
 * A move or live migration as the card's migration panel draws it, from the click to the result.
 * restarted: asked live, but Pacemaker's record shows it stopped and started the VM.
 * interrupted: the Corral running it stopped renewing its lease; `error` says where the VM runs.
 */
export interface MoveState {
  id: string;
  clusterId: string;
  /** The resource. */
  vm: string;
  /** The libvirt domain it runs (where it runs is asked of every node's libvirt by this name). */
  domain: string;
  fromNode: string | null;
  toNode: string;
  live: boolean;
  /** Epoch ms of the click. */
  startedAt: number;
  state: "running" | "succeeded" | "restarted" | "failed" | "cancelled" | "interrupted";
  phase: MovePhase;
  /** 0..1 of the memory transfer (migrate_to), null outside it. */
  transferFraction: number | null;
  transferredBytes: number | null;
  totalBytes: number | null;
  /** From the click to Started on the target (the operator's wait), once reached. */
  startedAfterMs: number | null;
  durationMs: number | null;
  error: string | null;
  /** What the operator asked of the move's constraint. */
  constraint: MoveConstraintMode;
  /** A constraint pcs left against the operator's wish (a failed move): Clear it. */
  leftoverConstraint: LocationConstraint | null;
  /** The constraint kept as asked (constraint other than "clear"), pinning the VM there. */
  keptConstraint: LocationConstraint | null;
  /** An operator asked to cancel and the transfer abort went through or is under way. */
  cancelling: boolean;
  /** The move ended after a cancel: Pacemaker's recovery is awaited before the result. */
  settlingCancel: boolean;
  /** The latest memory transfer reading says a job runs on the source (cancel can abort it). */
  transferActive: boolean;
}

export type MoveEvent =
  | { type: "progress"; progress: MoveProgress }
  | { type: "cancel-requested" }
  /** The abort was refused or failed: the move goes on. */
  | { type: "cancel-withdrawn" }
  /** pcs and the watch of the cluster are done (moveResource's result). */
  | { type: "moved"; outcome: Result<MoveOutcome, MoveFailure>; at: number }
  /** After a cancel: where Pacemaker and every node's virsh agree the VM runs, or why not. */
  | {
      type: "cancel-settled";
      settled: { ok: true; node: string } | { ok: false; message: string };
      at: number;
    }
  | { type: "crashed"; error: string; at: number }
  | { type: "interrupted"; error: string; at: number };

export function newMoveState(
  move: Pick<
    MoveState,
    "id" | "clusterId" | "vm" | "domain" | "fromNode" | "toNode" | "live" | "startedAt"
  > &
    Partial<Pick<MoveState, "constraint">>,
): MoveState {
  return {
    constraint: "clear",
    ...move,
    state: "running",
    phase: "requested",
    transferFraction: null,
    transferredBytes: null,
    totalBytes: null,
    startedAfterMs: null,
    durationMs: null,
    error: null,
    leftoverConstraint: null,
    keptConstraint: null,
    cancelling: false,
    settlingCancel: false,
    transferActive: false,
  };
}

/** Settled for good: no event changes it. "interrupted" is not: its owner may yet report. */
export function isMoveSettled(state: MoveState): boolean {
  return state.state !== "running" && state.state !== "interrupted";
}

/** Every transition of a move, pure; the service runs the side effects each state asks for. */
export function applyMove(state: MoveState, event: MoveEvent): MoveState {
  if (isMoveSettled(state)) return state;
  // Interrupted: its owner may yet report (it was slow, not dead), and recovery may say more.
  if (
    state.state === "interrupted" &&
    event.type !== "moved" &&
    event.type !== "cancel-settled" &&
    event.type !== "interrupted"
  ) {
    return state;
  }
  switch (event.type) {
    case "progress": {
      const { transfer } = event.progress;
      return {
        ...state,
        phase: event.progress.phase,
        transferFraction: transfer?.fraction ?? null,
        transferredBytes:
          transfer?.memoryTotalBytes != null && transfer.memoryRemainingBytes != null
            ? transfer.memoryTotalBytes - transfer.memoryRemainingBytes
            : null,
        totalBytes: transfer?.memoryTotalBytes ?? null,
        transferActive: transfer?.active ?? false,
        startedAfterMs:
          state.startedAfterMs ??
          (event.progress.phase === "started" ? event.progress.elapsedMs : null),
      };
    }
    case "cancel-requested":
      return state.settlingCancel ? state : { ...state, cancelling: true };
    case "cancel-withdrawn":
      return state.settlingCancel ? state : { ...state, cancelling: false };
    case "moved": {
      if (state.cancelling) return { ...state, state: "running", settlingCancel: true };
      const { outcome } = event;
      const done = { ...state, durationMs: event.at - state.startedAt };
      if (!outcome.ok) {
        return {
          ...done,
          state: "failed",
          error: outcome.error.error.message,
          leftoverConstraint: outcome.error.leftoverConstraint,
        };
      }
      // A move that is not live stops and starts by design: only a live one can be "restarted".
      const { how } = outcome.value;
      const restartedWhy = state.live && how.how === "restarted" ? how.reason : null;
      return {
        ...done,
        state: restartedWhy === null ? "succeeded" : "restarted",
        error: restartedWhy,
        startedAfterMs: outcome.value.startedAfterMs,
        ...(state.constraint === "clear"
          ? { leftoverConstraint: outcome.value.leftoverConstraint }
          : { keptConstraint: outcome.value.leftoverConstraint }),
      };
    }
    case "cancel-settled": {
      if (!state.settlingCancel) return state;
      const done = { ...state, settlingCancel: false, durationMs: event.at - state.startedAt };
      return event.settled.ok
        ? {
            ...done,
            state: "cancelled",
            leftoverConstraint: null,
            error: `Transfer aborted. Pacemaker recovered ${state.domain} from the failed migrate_to by stopping and starting it (its guest rebooted): it now runs on ${event.settled.node} only (every node's virsh and Pacemaker agree); move constraint cleared.`,
          }
        : { ...done, state: "failed", error: `Cancel: ${event.settled.message}` };
    }
    case "crashed":
      return {
        ...state,
        state: "failed",
        settlingCancel: false,
        error: event.error,
        durationMs: event.at - state.startedAt,
      };
    case "interrupted":
      return { ...state, state: "interrupted", error: event.error };
  }
}
