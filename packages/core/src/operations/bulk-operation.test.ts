import { describe, expect, it } from "vitest";
import { applyBulk, type BulkEvent, type BulkState, newBulkState } from "./bulk-operation.ts";

const start = (): BulkState =>
  newBulkState({
    id: "b1",
    clusterId: "c1",
    action: "stop",
    target: null,
    concurrency: 2,
    actorName: "ops",
    startedAt: 1,
    items: [
      { resource: "web1", domain: "web1", skipped: null },
      { resource: "db1", domain: "db1", skipped: null },
      { resource: "app1", domain: "app1", skipped: "already stopped" },
    ],
  });

const finished = (resource: string, ok = true): BulkEvent => ({
  type: "item-finished",
  resource,
  ok,
  message: ok ? null : "pcs said no",
  at: 9,
});

describe("applyBulk", () => {
  it("works each item from pending through running to its result, then is done", () => {
    let state = start();
    expect(state.items.map((i) => i.state)).toEqual(["pending", "pending", "skipped"]);
    state = applyBulk(state, { type: "item-started", resource: "web1" });
    state = applyBulk(state, { type: "item-started", resource: "db1" });
    state = applyBulk(state, finished("web1"));
    expect(state.status).toBe("running");
    state = applyBulk(state, finished("db1", false));
    expect(state).toMatchObject({ status: "done", finishedAt: 9 });
    expect(state.items.map((i) => [i.state, i.message])).toEqual([
      ["succeeded", null],
      ["failed", "pcs said no"],
      ["skipped", "already stopped"],
    ]);
  });

  it("ignores what the item's state does not accept: a second start, a finish before a start", () => {
    const state = applyBulk(start(), { type: "item-started", resource: "web1" });
    expect(applyBulk(state, { type: "item-started", resource: "web1" })).toBe(state);
    expect(applyBulk(state, finished("db1"))).toBe(state);
    expect(applyBulk(state, finished("nope"))).toBe(state);
  });

  it("is done at once when every VM is skipped", () => {
    const state = newBulkState({
      ...start(),
      items: [{ resource: "web1", domain: "web1", skipped: "already there" }],
    });
    expect(state).toMatchObject({ status: "done", finishedAt: 1 });
  });

  it("on interruption fails the running item, marks the pending not run, and takes nothing after", () => {
    let state = applyBulk(start(), { type: "item-started", resource: "web1" });
    state = applyBulk(state, { type: "interrupted", message: "its Corral stopped", at: 5 });
    expect(state.status).toBe("interrupted");
    expect(state.items.map((i) => i.state)).toEqual(["failed", "not-run", "skipped"]);
    expect(applyBulk(state, finished("web1"))).toBe(state);
  });
});
