import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { AppError } from "../errors.ts";
import { err, ok } from "../result.ts";
import { judgeMovePrecheck, type MoveSimulation } from "./move-precheck.ts";
import type { SimulatedAction } from "./simulate-standby.ts";

/** The agent's answers on the lab (simulate-move web1, which runs on node1). */
const recorded = (name: string): MoveSimulation =>
  JSON.parse(
    readFileSync(new URL(`./fixtures/simulate-move-${name}.json`, import.meta.url), "utf8"),
  );

const action = (over: Partial<SimulatedAction>): SimulatedAction => ({
  action: "migrate",
  resource: "web1",
  source: "node1",
  dest: "node2",
  reason: null,
  ...over,
});

const judge = (
  simulation: MoveSimulation,
  memory: { availableKiB: number } | null = { availableKiB: 8 * 1024 * 1024 },
) =>
  judgeMovePrecheck({
    resource: "web1",
    target: "node2",
    simulation: ok(simulation),
    vmMemoryKiB: 98_304,
    targetMemory: memory && ok({ totalKiB: 16 * 1024 * 1024, ...memory }),
  });

describe("judgeMovePrecheck", () => {
  it("has nothing to say of a move Pacemaker makes and keeps, to a node with room", () => {
    expect(judge({ move: [action({})], afterClear: [] })).toEqual([]);
    // Not live: a stop there and a start here places it too.
    expect(judge({ move: [action({ action: "move" })], afterClear: [] })).toEqual([]);
  });

  it("warns that the VM would move back once pcs clears its constraint (pcs then refuses)", () => {
    // resource-stickiness 0 and `pcs constraint location web1 prefers node1=100`: pcs answered
    // "Unable to ensure that moved resource 'web1' will stay on the same node after a
    // constraint used for moving it is removed."
    const warnings = judge(recorded("web1-moves-back"));
    expect(warnings).toEqual([
      {
        kind: "moves-back",
        message: expect.stringMatching(
          /^Once pcs clears the move's constraint, Pacemaker would move web1 back to node1: pcs then refuses the move\./,
        ),
      },
    ]);
  });

  it("says when Pacemaker would not place the VM on the target at all, and what it does instead", () => {
    // placement-strategy=utilization, node3 offering memory=64 to web1's memory=96: pcs
    // answered "Unable to move resource 'web1' using a location constraint."
    expect(judge(recorded("web1-not-placed"))).toEqual([
      {
        kind: "not-placed",
        message: expect.stringMatching(
          /^Pacemaker would not run web1 on node2 even with the move's constraint: /,
        ),
      },
    ]);
    const [stop] = judge({ move: [action({ action: "stop", dest: null })], afterClear: [] });
    expect(stop?.message).toContain("(it would stop web1 on node1)");
  });

  it("names the other resources the move would move or stop", () => {
    const warnings = judge({
      move: [
        action({}),
        action({ action: "move", resource: "db1", source: "node2", dest: "node3" }),
      ],
      afterClear: [],
    });
    expect(warnings).toEqual([
      {
        kind: "moves-others",
        message: "The move also makes Pacemaker move db1 on node2 to node3.",
      },
    ]);
  });

  it("warns when the target has less memory available than the VM needs, or could not say", () => {
    expect(judge({ move: [action({})], afterClear: [] }, { availableKiB: 65_536 })).toEqual([
      {
        kind: "memory",
        message:
          "node2 has 64 MiB available and web1 needs 96 MiB: its qemu may fail to start there or push the node into swap.",
      },
    ]);
    const unread = judgeMovePrecheck({
      resource: "web1",
      target: "node2",
      simulation: err(new AppError("NODE_UNREACHABLE", "no node answered")),
      vmMemoryKiB: 98_304,
      targetMemory: err(new AppError("NODE_UNREACHABLE", "node2 did not answer")),
    });
    expect(unread.map((warning) => warning.message)).toEqual([
      "Pacemaker's scheduler could not be asked what this move would do: no node answered",
      "node2's free memory could not be read: node2 did not answer",
    ]);
  });
});
