import { describe, expect, it } from "vitest";
import { bulkSkipReason } from "./bulk-service.ts";

const resource = (over: Record<string, unknown> = {}) =>
  ({ role: "Started", nodes: ["node1"], targetRole: null, constraints: [], ...over }) as never;

describe("bulkSkipReason", () => {
  it("leaves out what the action would not change, saying why", () => {
    expect(bulkSkipReason("start", resource(), null)).toBe("already Started on node1");
    expect(bulkSkipReason("start", resource({ role: "Stopped", nodes: [] }), null)).toBeNull();
    expect(bulkSkipReason("stop", resource(), null)).toBeNull();
    expect(
      bulkSkipReason("stop", resource({ role: "Stopped", nodes: [], targetRole: "Stopped" }), null),
    ).toBe("already stopped");
    expect(bulkSkipReason("cleanup", resource({ role: "Stopped" }), null)).toBeNull();
  });

  it("migrates only a VM running on one other node that may run on the target", () => {
    expect(bulkSkipReason("migrate", resource(), "node2")).toBeNull();
    expect(bulkSkipReason("migrate", resource(), "node1")).toBe("already on node1");
    expect(bulkSkipReason("migrate", resource({ role: "Stopped", nodes: [] }), "node2")).toBe(
      "it is Stopped: nothing to migrate",
    );
    const bound = resource({
      constraints: [
        { origin: "allowed-nodes", allowedNodes: ["node1", "node3"], resource: "x", node: null },
      ],
    });
    expect(bulkSkipReason("migrate", bound, "node2")).toBe("not allowed on node2");
  });
});
