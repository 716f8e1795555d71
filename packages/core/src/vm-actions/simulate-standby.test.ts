import { describe, expect, it } from "vitest";
import { standbyPlanOf } from "./simulate-standby.ts";

describe("standbyPlanOf", () => {
  it("sorts the scheduler's actions into live moves, stop-and-start moves, stops and the rest", () => {
    // As crm_simulate planned node1's standby (packages/agent/src/fixtures).
    const plan = standbyPlanOf("node1", [
      { action: "migrate", resource: "web1", source: "node1", dest: "node2", reason: null },
      { action: "move", resource: "db1", source: "node1", dest: "node3", reason: null },
      {
        action: "stop",
        resource: "local1",
        source: "node1",
        dest: null,
        reason: "node availability",
      },
      { action: "start", resource: "app1", source: "node2", dest: null, reason: null },
    ]);
    expect(plan).toEqual({
      node: "node1",
      moves: [
        { resource: "web1", from: "node1", to: "node2", live: true },
        { resource: "db1", from: "node1", to: "node3", live: false },
      ],
      stops: [{ resource: "local1", reason: "node availability" }],
      others: [{ action: "start", resource: "app1", source: "node2", dest: null, reason: null }],
    });
  });
});
