import { describe, expect, it } from "vitest";
import { AppError } from "../errors.ts";
import { err, ok } from "../result.ts";
import {
  applyMove,
  isMoveSettled,
  type MoveEvent,
  type MoveState,
  newMoveState,
} from "./move-operation.ts";

const T0 = 1_000_000;
const start = (live = true) =>
  newMoveState({
    id: "m1",
    clusterId: "c1",
    vm: "web1",
    domain: "web1",
    fromNode: "node1",
    toNode: "node2",
    live,
    startedAt: T0,
  });

const constraint = {
  id: "cli-prefer-web1",
  resource: "web1",
  node: "node2",
  score: "INFINITY",
} as never;
const live = {
  argv: [],
  startedAfterMs: 3_000,
  durationMs: 4_000,
  leftoverConstraint: null,
  how: { how: "live" as const },
};
const restartedHow = {
  ...live,
  how: { how: "restarted" as const, reason: "migrate_to failed on node1" },
};
const failure = {
  error: new AppError("COMMAND_FAILED", "pcs: Error: resource web1 is not running"),
  failedActions: [],
  leftoverConstraint: constraint,
  runningOn: ["node1"],
};

/** One of each event kind, at T0 + 5 s. */
const EVENTS: Record<MoveEvent["type"], MoveEvent> = {
  progress: {
    type: "progress",
    progress: {
      phase: "migrate_to",
      resource: null,
      elapsedMs: 1_200,
      transfer: {
        active: true,
        operation: "Outgoing migration",
        elapsedMs: 1_000,
        memoryProcessedBytes: 100,
        memoryRemainingBytes: 300,
        memoryTotalBytes: 400,
        fraction: 0.25,
      },
    },
  },
  "cancel-requested": { type: "cancel-requested" },
  "cancel-withdrawn": { type: "cancel-withdrawn" },
  moved: { type: "moved", outcome: ok(live), at: T0 + 5_000 },
  "cancel-settled": {
    type: "cancel-settled",
    settled: { ok: true, node: "node1" },
    at: T0 + 5_000,
  },
  crashed: { type: "crashed", error: "ssh pool closed", at: T0 + 5_000 },
  interrupted: { type: "interrupted", error: "web1 runs on node2 only.", at: T0 + 5_000 },
};

/** A move in each state it can be in, reached through events (never built by hand). */
function reach(name: string): MoveState {
  const run = (...events: MoveEvent[]) => events.reduce(applyMove, start());
  switch (name) {
    case "running":
      return run(EVENTS.progress);
    case "cancelling":
      return run(EVENTS.progress, EVENTS["cancel-requested"]);
    case "settling-cancel":
      return run(EVENTS.progress, EVENTS["cancel-requested"], EVENTS.moved);
    case "succeeded":
      return run(EVENTS.moved);
    case "restarted":
      return run({ type: "moved", outcome: ok(restartedHow), at: T0 + 5_000 });
    case "failed":
      return run({ type: "moved", outcome: err(failure), at: T0 + 5_000 });
    case "cancelled":
      return run(EVENTS["cancel-requested"], EVENTS.moved, EVENTS["cancel-settled"]);
    case "interrupted":
      return run(EVENTS.interrupted);
    default:
      throw new Error(name);
  }
}

const STATES = [
  "running",
  "cancelling",
  "settling-cancel",
  "succeeded",
  "restarted",
  "failed",
  "cancelled",
  "interrupted",
];

/** What each state does with each event: the expected state name afterwards. */
const EXPECTED: Record<string, Record<MoveEvent["type"], string>> = {
  running: {
    progress: "running",
    "cancel-requested": "cancelling",
    "cancel-withdrawn": "running",
    moved: "succeeded",
    "cancel-settled": "running",
    crashed: "failed",
    interrupted: "interrupted",
  },
  cancelling: {
    progress: "cancelling",
    "cancel-requested": "cancelling",
    "cancel-withdrawn": "running",
    moved: "settling-cancel",
    "cancel-settled": "cancelling",
    crashed: "failed",
    interrupted: "interrupted",
  },
  "settling-cancel": {
    progress: "settling-cancel",
    "cancel-requested": "settling-cancel",
    "cancel-withdrawn": "settling-cancel",
    moved: "settling-cancel",
    "cancel-settled": "cancelled",
    crashed: "failed",
    interrupted: "interrupted",
  },
  interrupted: {
    progress: "interrupted",
    "cancel-requested": "interrupted",
    "cancel-withdrawn": "interrupted",
    // Its owner was slow, not dead: its own result is the truth.
    moved: "succeeded",
    "cancel-settled": "interrupted",
    crashed: "interrupted",
    interrupted: "interrupted",
  },
  ...Object.fromEntries(
    ["succeeded", "restarted", "failed", "cancelled"].map((settled) => [
      settled,
      Object.fromEntries(Object.keys(EVENTS).map((type) => [type, settled])),
    ]),
  ),
};

function nameOf(state: MoveState): string {
  if (state.state !== "running") return state.state;
  if (state.settlingCancel) return "settling-cancel";
  return state.cancelling ? "cancelling" : "running";
}

describe("applyMove: every state x every event", () => {
  for (const from of STATES) {
    for (const [type, event] of Object.entries(EVENTS)) {
      it(`${from} + ${type} -> ${EXPECTED[from]?.[type as MoveEvent["type"]]}`, () => {
        const before = reach(from);
        const frozen = structuredClone(before);
        const after = applyMove(before, event);
        expect(nameOf(after)).toBe(EXPECTED[from]?.[type as MoveEvent["type"]]);
        // Pure: the state given is never changed.
        expect(before).toEqual(frozen);
        if (isMoveSettled(before)) expect(after).toBe(before);
      });
    }
  }
});

describe("applyMove: what each transition records", () => {
  it("progress carries the memory transfer; Started fixes the operator's wait once", () => {
    const moving = applyMove(start(), EVENTS.progress);
    expect(moving).toMatchObject({
      phase: "migrate_to",
      transferFraction: 0.25,
      transferredBytes: 100,
      totalBytes: 400,
      transferActive: true,
      startedAfterMs: null,
    });
    const started = applyMove(moving, {
      type: "progress",
      progress: { phase: "started", resource: null, transfer: null, elapsedMs: 2_500 },
    });
    expect(started).toMatchObject({
      startedAfterMs: 2_500,
      transferFraction: null,
      transferActive: false,
    });
    const later = applyMove(started, {
      type: "progress",
      progress: { phase: "started", resource: null, transfer: null, elapsedMs: 9_000 },
    });
    expect(later.startedAfterMs).toBe(2_500);
  });

  it("a live move Pacemaker restarted is 'restarted' with the reason; a stop-start move is a success", () => {
    const asked = applyMove(start(true), {
      type: "moved",
      outcome: ok(restartedHow),
      at: T0 + 5_000,
    });
    expect(asked).toMatchObject({
      state: "restarted",
      error: "migrate_to failed on node1",
      durationMs: 5_000,
    });
    const offline = applyMove(start(false), {
      type: "moved",
      outcome: ok(restartedHow),
      at: T0 + 5_000,
    });
    expect(offline).toMatchObject({ state: "succeeded", error: null });
  });

  it("a constraint kept as asked is the kept one, not a leftover; a cleared move's is a leftover", () => {
    const kept = applyMove(
      { ...start(), constraint: "PT1H" },
      { type: "moved", outcome: ok({ ...live, leftoverConstraint: constraint }), at: T0 + 5_000 },
    );
    expect(kept).toMatchObject({
      state: "succeeded",
      keptConstraint: constraint,
      leftoverConstraint: null,
    });
    const cleared = applyMove(start(), {
      type: "moved",
      outcome: ok({ ...live, leftoverConstraint: constraint }),
      at: T0 + 5_000,
    });
    expect(cleared).toMatchObject({ keptConstraint: null, leftoverConstraint: constraint });
  });

  it("a failure keeps pcs's message and the constraint pcs left", () => {
    expect(reach("failed")).toMatchObject({
      error: "pcs: Error: resource web1 is not running",
      leftoverConstraint: constraint,
    });
  });

  it("a cancel settles only after every node agreed; otherwise it failed, saying why", () => {
    expect(reach("cancelled")).toMatchObject({
      leftoverConstraint: null,
      cancelling: true,
      settlingCancel: false,
    });
    expect(reach("cancelled").error).toContain("runs on node1 only");
    const disagreed = applyMove(reach("settling-cancel"), {
      type: "cancel-settled",
      settled: { ok: false, message: "web1 runs on node1 and node2" },
      at: T0 + 9_000,
    });
    expect(disagreed).toMatchObject({
      state: "failed",
      error: "Cancel: web1 runs on node1 and node2",
    });
  });
});
