import { describe, expect, it } from "vitest";
import { evacuationSteps, strategiesFor } from "./evacuation-strategy.ts";

const plan = {
  moves: [
    { resource: "web1", from: "node1", to: "node2", live: true },
    { resource: "db1", from: "node1", to: "node3", live: true },
    { resource: "app1", from: "node1", to: "node2", live: false },
  ],
};

describe("evacuationSteps", () => {
  it("holds first and moves to the scheduler's node, in the operator's order, live only as chosen", () => {
    expect(
      evacuationSteps(plan, [
        { resource: "app1", strategy: "restart" },
        { resource: "db1", strategy: "hold" },
        { resource: "web1", strategy: "live" },
      ]),
    ).toEqual({
      holds: ["db1"],
      moves: [
        { resource: "app1", from: "node1", to: "node2", live: false },
        { resource: "web1", from: "node1", to: "node2", live: true },
      ],
      refused: [],
    });
  });

  it("restarts a VM that could go live when the operator says so", () => {
    expect(evacuationSteps(plan, [{ resource: "web1", strategy: "restart" }]).moves).toEqual([
      { resource: "web1", from: "node1", to: "node2", live: false },
    ]);
  });

  it("refuses live for a VM Pacemaker would not migrate, and a VM named twice", () => {
    expect(
      evacuationSteps(plan, [
        { resource: "app1", strategy: "live" },
        { resource: "web1", strategy: "live" },
        { resource: "web1", strategy: "hold" },
      ]).refused,
    ).toEqual([
      {
        resource: "app1",
        reason: "Pacemaker would not migrate it live (no allow-migrate): restart or hold it",
      },
      { resource: "web1", reason: "named twice" },
    ]);
  });

  it("leaves to the standby a chosen VM the fresh plan no longer moves", () => {
    expect(evacuationSteps(plan, [{ resource: "gone1", strategy: "live" }])).toEqual({
      holds: [],
      moves: [],
      refused: [],
    });
  });

  it("offers live only where the scheduler would migrate", () => {
    expect(strategiesFor({ live: true })).toEqual(["live", "restart", "hold"]);
    expect(strategiesFor({ live: false })).toEqual(["restart", "hold"]);
  });
});
