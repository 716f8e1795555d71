import { describe, expect, it } from "vitest";
import {
  applyMaintenance,
  MAINTENANCE_STEPS,
  type MaintenanceEvent,
  type MaintenanceState,
  type MaintenanceStatus,
  newMaintenanceState,
} from "./maintenance-operation.ts";

const start = (overrides: Partial<MaintenanceState> = {}): MaintenanceState => ({
  ...newMaintenanceState({
    id: "m1",
    clusterId: "c1",
    nodes: ["node1", "node2"],
    work: { kind: "hook", command: "reboot" },
    retest: true,
    stopVms: [],
    actorName: "ops@example.com",
    startedAt: 1,
  }),
  ...overrides,
});

const succeeded = (extra: Partial<Extract<MaintenanceEvent, { type: "step-succeeded" }>> = {}) =>
  ({ type: "step-succeeded", at: 2, message: "ok", ...extra }) as const;

const EVENTS: MaintenanceEvent[] = [
  succeeded(),
  { type: "step-failed", at: 2, message: "pcs said no" },
  { type: "interrupted", at: 2, message: "its Corral stopped" },
  { type: "continued", at: 2, actorName: "ops" },
  { type: "stopped", at: 2, actorName: "ops" },
];

const STATUSES: MaintenanceStatus[] = ["running", "waiting", "paused", "succeeded", "stopped"];

/** What each status does with each event: the new status, or "same" for an ignored event. */
const EXPECTED: Record<MaintenanceStatus, Record<MaintenanceEvent["type"], string>> = {
  running: {
    "step-succeeded": "running",
    "step-failed": "paused",
    interrupted: "paused",
    continued: "same",
    stopped: "stopped",
  },
  waiting: {
    "step-succeeded": "same",
    "step-failed": "same",
    interrupted: "same",
    continued: "running",
    stopped: "stopped",
  },
  paused: {
    "step-succeeded": "same",
    "step-failed": "same",
    interrupted: "same",
    continued: "running",
    stopped: "stopped",
  },
  succeeded: {
    "step-succeeded": "same",
    "step-failed": "same",
    interrupted: "same",
    continued: "same",
    stopped: "same",
  },
  stopped: {
    "step-succeeded": "same",
    "step-failed": "same",
    interrupted: "same",
    continued: "same",
    stopped: "same",
  },
};

describe("applyMaintenance", () => {
  for (const status of STATUSES) {
    for (const event of EVENTS) {
      it(`${status} + ${event.type} → ${EXPECTED[status][event.type]}`, () => {
        const state = start({ status, step: "rejoin" });
        const next = applyMaintenance(state, event);
        const expected = EXPECTED[status][event.type];
        if (expected === "same") expect(next).toBe(state);
        else expect(next.status).toBe(expected);
      });
    }
  }

  it("walks every step of every node in order, then succeeds", () => {
    let state = start();
    const seen: string[] = [];
    while (state.status === "running") {
      seen.push(`${state.nodes[state.current]}:${state.step}`);
      state = applyMaintenance(state, succeeded());
    }
    expect(state.status).toBe("succeeded");
    expect(state.finishedAt).toBe(2);
    expect(seen).toEqual(
      ["node1", "node2"].flatMap((node) => MAINTENANCE_STEPS.map((step) => `${node}:${step}`)),
    );
    expect(state.log).toHaveLength(2 * MAINTENANCE_STEPS.length);
  });

  it("keeps what the gate and the drain report for the node, and forgets them at the next node", () => {
    let state = applyMaintenance(start(), succeeded({ home: ["web1", "db1"] }));
    state = applyMaintenance(state, succeeded({ bootBefore: "b1" }));
    expect(state).toMatchObject({ step: "work", home: ["web1", "db1"], bootBefore: "b1" });
    for (const step of ["work", "rejoin", "retest", "unstandby", "return-home"]) {
      expect(state.step).toBe(step);
      state = applyMaintenance(state, succeeded());
    }
    expect(state).toMatchObject({ current: 1, step: "gate", home: [], bootBefore: null });
  });

  it("waits for the operator's word after the drain when the work is a pause", () => {
    let state = start({ work: { kind: "pause" }, step: "evacuate" });
    state = applyMaintenance(state, succeeded());
    expect(state).toMatchObject({ step: "work", status: "waiting" });
    state = applyMaintenance(state, { type: "continued", at: 3, actorName: "ops" });
    expect(state).toMatchObject({ step: "rejoin", status: "running" });
    expect(state.log.at(-1)?.message).toBe("ops said the work on node1 is done.");
  });

  it("skips the re-test when asked, saying so", () => {
    const state = applyMaintenance(start({ retest: false, step: "rejoin" }), succeeded());
    expect(state.step).toBe("unstandby");
    expect(state.log.at(-1)).toMatchObject({
      step: "retest",
      message: "Re-test skipped, as asked.",
    });
  });

  it("pauses on a failure at the same step, and Resume runs that step again", () => {
    let state = applyMaintenance(start({ current: 1, step: "retest" }), {
      type: "step-failed",
      at: 3,
      message: "web1 failed its test on node2",
    });
    expect(state).toMatchObject({
      status: "paused",
      step: "retest",
      current: 1,
      reason: "web1 failed its test on node2",
    });
    expect(state.log.at(-1)).toMatchObject({ node: "node2", step: "retest", ok: false });
    state = applyMaintenance(state, { type: "continued", at: 4, actorName: "ops" });
    expect(state).toMatchObject({ status: "running", step: "retest", current: 1, reason: null });
  });

  it("records a stop with where it stopped", () => {
    const state = applyMaintenance(start({ step: "work", status: "waiting" }), {
      type: "stopped",
      at: 5,
      actorName: "ops",
    });
    expect(state).toMatchObject({
      status: "stopped",
      finishedAt: 5,
      reason: "Stopped by ops at work on node1.",
    });
  });
});
