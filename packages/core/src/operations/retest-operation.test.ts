import { describe, expect, it } from "vitest";
import { AppError } from "../errors.ts";
import type { NodeTestResult } from "../onboarding/onboarding-job.types.ts";
import { err, ok } from "../result.ts";
import {
  applyRetest,
  newRetestState,
  type RetestEvent,
  type RetestState,
} from "./retest-operation.ts";

const result = {
  id: "r1",
  node: "node2",
  outcome: "succeeded",
  startMs: 2_100,
  stopMs: 600,
  output: "x".repeat(10_000),
} as NodeTestResult;

const EVENTS: Record<string, RetestEvent> = {
  disabling: { type: "progress", progress: { phase: "disabling" } },
  testing: { type: "progress", progress: { phase: "testing", node: "node2" } },
  tested: { type: "progress", progress: { phase: "tested", result } },
  finished: { type: "finished", outcome: ok({ results: [result], startedOn: "node1" }) },
  "finished-failed": {
    type: "finished",
    outcome: err(new AppError("COMMAND_FAILED", "enable failed")),
  },
  crashed: { type: "crashed", error: "boom" },
  interrupted: { type: "interrupted", error: "web1 runs on no node." },
};

const start = () => newRetestState({ id: "t1", clusterId: "c1", vm: "web1", resource: "web1" });
const reach: Record<RetestState["state"], () => RetestState> = {
  running: () => applyRetest(start(), EVENTS.testing as RetestEvent),
  succeeded: () => applyRetest(start(), EVENTS.finished as RetestEvent),
  failed: () => applyRetest(start(), EVENTS.crashed as RetestEvent),
  interrupted: () => applyRetest(start(), EVENTS.interrupted as RetestEvent),
};

const EXPECTED: Record<RetestState["state"], Record<string, RetestState["state"]>> = {
  running: {
    disabling: "running",
    testing: "running",
    tested: "running",
    finished: "succeeded",
    "finished-failed": "failed",
    crashed: "failed",
    interrupted: "interrupted",
  },
  interrupted: {
    disabling: "interrupted",
    testing: "interrupted",
    tested: "interrupted",
    finished: "succeeded",
    "finished-failed": "failed",
    crashed: "interrupted",
    interrupted: "interrupted",
  },
  succeeded: Object.fromEntries(Object.keys(EVENTS).map((name) => [name, "succeeded"])),
  failed: Object.fromEntries(Object.keys(EVENTS).map((name) => [name, "failed"])),
};

describe("applyRetest: every state x every event", () => {
  for (const [from, build] of Object.entries(reach)) {
    for (const [name, event] of Object.entries(EVENTS)) {
      const expected = EXPECTED[from as RetestState["state"]][name];
      it(`${from} + ${name} -> ${expected}`, () => {
        const before = build();
        const frozen = structuredClone(before);
        expect(applyRetest(before, event).state).toBe(expected);
        expect(before).toEqual(frozen);
      });
    }
  }
});

describe("applyRetest: what each transition records", () => {
  it("names the node under test and lists each tested node without its output", () => {
    const testing = applyRetest(start(), EVENTS.testing as RetestEvent);
    expect(testing).toMatchObject({ phase: "testing", node: "node2" });
    const tested = applyRetest(testing, EVENTS.tested as RetestEvent);
    expect(tested.results).toEqual([
      { id: "r1", node: "node2", outcome: "succeeded", startMs: 2_100, stopMs: 600 },
    ]);
    // Small enough for the bus whatever the test printed.
    expect(JSON.stringify(tested).length).toBeLessThan(1_000);
  });

  it("a success says where Pacemaker started it; a failure says why", () => {
    expect(reach.succeeded()).toMatchObject({ startedOn: "node1", error: null, node: null });
    expect(applyRetest(start(), EVENTS["finished-failed"] as RetestEvent)).toMatchObject({
      state: "failed",
      error: "enable failed",
    });
  });
});
