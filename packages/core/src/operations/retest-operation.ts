import type { AppError } from "../errors.ts";
import type { NodeTestResult } from "../onboarding/onboarding-job.types.ts";
import type { RetestOutcome, RetestProgress } from "../onboarding/retest-managed-vm.ts";
import type { Result } from "../result.ts";

/** A node's test as the re-test panel lists it; the whole result is in the test history. */
export type RetestResultSummary = Pick<
  NodeTestResult,
  "id" | "node" | "outcome" | "startMs" | "stopMs"
>;

/** A re-test of a managed VM as the Test results page draws it while it runs and after. */
export interface RetestState {
  id: string;
  clusterId: string;
  vm: string;
  resource: string;
  state: "running" | "succeeded" | "failed" | "interrupted";
  phase: RetestProgress["phase"];
  /** The node under test now. */
  node: string | null;
  results: RetestResultSummary[];
  startedOn: string | null;
  error: string | null;
  /** For an allowed-nodes change, the nodes asked for; null for a plain re-test. */
  allowedNodes: string[] | null;
}

export type RetestEvent =
  | { type: "progress"; progress: RetestProgress }
  | { type: "finished"; outcome: Result<RetestOutcome, AppError> }
  | { type: "crashed"; error: string }
  | { type: "interrupted"; error: string };

export function newRetestState(
  retest: Pick<RetestState, "id" | "clusterId" | "vm" | "resource"> &
    Partial<Pick<RetestState, "allowedNodes">>,
): RetestState {
  return {
    allowedNodes: null,
    ...retest,
    state: "running",
    phase: retest.allowedNodes ? "distributing" : "disabling",
    node: null,
    results: [],
    startedOn: null,
    error: null,
  };
}

const summary = ({ id, node, outcome, startMs, stopMs }: NodeTestResult): RetestResultSummary => ({
  id,
  node,
  outcome,
  startMs,
  stopMs,
});

/** Every transition of a re-test, pure. Only "running" and "interrupted" (an owner that was slow, not dead) move on. */
export function applyRetest(state: RetestState, event: RetestEvent): RetestState {
  if (state.state === "succeeded" || state.state === "failed") return state;
  if (state.state === "interrupted" && event.type !== "finished") return state;
  switch (event.type) {
    case "progress": {
      const { progress } = event;
      if (progress.phase === "testing") return { ...state, phase: "testing", node: progress.node };
      if (progress.phase === "tested") {
        return {
          ...state,
          phase: "tested",
          results: [...state.results, summary(progress.result)],
        };
      }
      return { ...state, phase: progress.phase, node: null };
    }
    case "finished":
      return event.outcome.ok
        ? {
            ...state,
            state: "succeeded",
            node: null,
            startedOn: event.outcome.value.startedOn,
            error: null,
          }
        : {
            ...state,
            state: "failed",
            node: null,
            startedOn: null,
            error: event.outcome.error.message,
          };
    case "crashed":
      return { ...state, state: "failed", node: null, error: event.error };
    case "interrupted":
      return { ...state, state: "interrupted", node: null, error: event.error };
  }
}
