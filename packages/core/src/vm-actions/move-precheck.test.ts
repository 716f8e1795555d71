import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { AppError } from "../errors.ts";
import { parseOperationHistory } from "../inventory/parse-operation-history.ts";
import { err, ok } from "../result.ts";
import {
  estimateConvergence,
  judgeMovePrecheck,
  type MoveSimulation,
  pacemakerSeconds,
} from "./move-precheck.ts";
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

describe("estimateConvergence (Pacemaker's record of web1's live migrations on the lab)", () => {
  const history = parseOperationHistory(
    readFileSync(
      new URL("./fixtures/crm-mon-web1-migrated-node3-to-node1.xml", import.meta.url),
      "utf8",
    ),
  );
  const web1KiB = 96 * 1024;

  it("takes the rate from each successful migrate_to's exec-time and the VM's memory", () => {
    const estimate = estimateConvergence({
      vmMemoryKiB: 4 * 1024 * 1024,
      history,
      memoryKiBOf: (resource) => (resource === "web1" ? web1KiB : null),
      migrateToTimeout: "120s",
    });
    // 96 MiB in 2.264 s and in 1.557 s (the failed one at 193 ms does not count): the median.
    expect(estimate.samples).toBe(2);
    expect(Math.round((estimate.bytesPerSecond ?? 0) / 1024 ** 2)).toBe(62);
    expect(Math.round(estimate.seconds ?? 0)).toBe(66);
    expect(estimate.timeoutSeconds).toBe(120);
  });

  it("has nothing to say without a measured migration or the VM's memory", () => {
    expect(
      estimateConvergence({
        vmMemoryKiB: web1KiB,
        history,
        memoryKiBOf: () => null,
        migrateToTimeout: null,
      }),
    ).toEqual({ seconds: null, bytesPerSecond: null, samples: 0, timeoutSeconds: null });
  });

  it("warns when the copy would take more than half of migrate_to's timeout", () => {
    const judge = (seconds: number) =>
      judgeMovePrecheck({
        resource: "web1",
        target: "node2",
        simulation: ok({ move: [action({})], afterClear: [] }),
        vmMemoryKiB: 4 * 1024 * 1024,
        targetMemory: null,
        estimate: { seconds, bytesPerSecond: 64 * 1024 ** 2, samples: 3, timeoutSeconds: 120 },
      }).map((warning) => warning.kind);
    expect(judge(30)).toEqual([]);
    expect(judge(66)).toEqual(["slow-transfer"]);
  });
});

describe("pacemakerSeconds", () => {
  it.each([
    ["120", 120],
    ["120s", 120],
    ["500ms", 0.5],
    ["2min", 120],
    ["2m", 120],
    ["1h", 3600],
    ["PT2M", 120],
    ["PT1H30S", 3630],
    ["soon", null],
  ])("%s is %s s", (value, seconds) => {
    expect(pacemakerSeconds(value)).toBe(seconds);
  });
});
