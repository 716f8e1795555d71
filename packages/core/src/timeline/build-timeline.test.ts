import { describe, expect, it } from "vitest";
import { buildTimeline, type TimelineSources } from "./build-timeline.ts";

const at = (minute: number) => new Date(Date.UTC(2026, 10, 29, 12, minute));

// One VM's afternoon: an operator unmanages it, the watch opens a finding, Pacemaker's own
// move after a failure, a live migration by Corral, a test; another VM's move.
const sources: TimelineSources = {
  actions: [
    {
      startedAt: at(1),
      actorId: "u1",
      actorName: "ada@example.test",
      action: "vm.unmanage",
      vm: "local1",
      node: null,
      ok: true,
      detail: { vm: "local1" },
    },
    {
      startedAt: at(2),
      actorId: null,
      actorName: "Corral",
      action: "finding.opened",
      vm: "local1",
      node: null,
      ok: true,
      detail: { kind: "unmanaged", severity: "warning" },
    },
  ],
  moves: [
    {
      startedAt: at(4),
      vm: "local1",
      fromNode: "node1",
      toNode: "node2",
      live: false,
      actorName: "Pacemaker",
      result: "succeeded",
      error: null,
    },
    {
      startedAt: at(5),
      vm: "local1",
      fromNode: "node2",
      toNode: "node1",
      live: true,
      actorName: "ada@example.test",
      result: "restarted",
      error: "migrate_to failed",
    },
    {
      startedAt: at(6),
      vm: "web1",
      fromNode: "node1",
      toNode: "node3",
      live: true,
      actorName: "ada@example.test",
      result: "succeeded",
      error: null,
    },
  ],
  tests: [
    {
      testedAt: at(7),
      vm: "local1",
      node: "node2",
      outcome: "failed",
      actorName: "ada@example.test",
      error: "disk missing",
    },
  ],
  failures: [
    {
      resource: "local1",
      operation: "monitor",
      node: "node1",
      exitCode: 7,
      exitStatus: "not running",
      exitReason: "",
      at: at(3).toISOString(),
    },
    {
      resource: "local1",
      operation: "start",
      node: "node3",
      exitCode: 1,
      exitStatus: "error",
      exitReason: "",
      at: "not a time",
    },
  ],
  // As crm_mon writes it; a pending fencing has no time yet.
  fencing: [
    {
      action: "reboot",
      target: "node3",
      status: "success",
      delegate: "node1",
      client: "pacemaker-controld.1",
      exitReason: "",
      completed: `${at(8).toISOString().slice(0, 19).replace("T", " ")}Z`,
    },
    {
      action: "off",
      target: "node2",
      status: "pending",
      delegate: null,
      client: "stonith_admin.7",
      exitReason: "",
      completed: null,
    },
  ],
};

describe("buildTimeline", () => {
  it("puts operators, the watch, Pacemaker, Corral's moves and tests on one axis, newest first", () => {
    const events = buildTimeline(sources, { vm: "local1" });
    expect(events.map((e) => [e.at.getUTCMinutes(), e.kind, e.who, e.ok])).toEqual([
      [7, "test", "ada@example.test", false],
      [5, "move", "ada@example.test", false],
      [4, "pacemaker", "Pacemaker", true],
      [3, "pacemaker", "Pacemaker", false],
      [2, "watch", "Corral", null],
      [1, "operator", "ada@example.test", true],
    ]);
    expect(events.map((e) => e.what)).toEqual([
      "start/stop test on node2: failed (disk missing)",
      "live migration node2 -> node1: restarted (migrate_to failed)",
      "move (stop and start) node1 -> node2: succeeded",
      "monitor failed on node1: not running",
      "finding.opened unmanaged",
      "vm.unmanage",
    ]);
  });

  it("filters by node, kind and time range", () => {
    expect(buildTimeline(sources, { node: "node3" }).map((e) => [e.vm, e.what, e.ok])).toEqual([
      [null, "reboot of node3 (fencing, by node1): success", true],
      ["web1", "live migration node1 -> node3: succeeded", true],
    ]);
    expect(buildTimeline(sources, { kinds: ["pacemaker"] }).map((e) => e.what)).toEqual([
      "reboot of node3 (fencing, by node1): success",
      "move (stop and start) node1 -> node2: succeeded",
      "monitor failed on node1: not running",
    ]);
    expect(
      buildTimeline(sources, { from: at(2), to: at(4) }).map((e) => e.at.getUTCMinutes()),
    ).toEqual([4, 3, 2]);
  });
});
