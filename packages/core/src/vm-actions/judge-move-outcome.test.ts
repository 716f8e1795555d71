import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseCrmMon } from "../inventory/parse-crm-mon.ts";
import { operationsSince, parseOperationHistory } from "../inventory/parse-operation-history.ts";
import { judgeMoveOutcome } from "./judge-move-outcome.ts";

// Recorded on the lab: web1 live-migrated node1 -> node2; then moved node2 -> node3 with root's
// known_hosts removed on node2 (migrate_to failed, Pacemaker stopped and started it on node3);
// then live-migrated node3 -> node1.
const xml = (name: string) =>
  readFileSync(new URL(`./fixtures/crm-mon-${name}.xml`, import.meta.url), "utf8");
const onNode2 = xml("web1-on-node2");
const restarted = xml("web1-restarted-on-node3");
const migrated = xml("web1-migrated-node3-to-node1");

function judge(before: string, after: string, source: string, target: string, domstate: string) {
  return judgeMoveOutcome({
    operations: operationsSince(
      parseOperationHistory(before),
      parseOperationHistory(after),
      "web1",
    ),
    failedActions: parseCrmMon(after).failedActions,
    source,
    target,
    targetDomstate: domstate,
  });
}

describe("judgeMoveOutcome (Pacemaker's record of real moves)", () => {
  it("calls a move live only when migrate_to and migrate_from succeeded and nothing started", () => {
    expect(judge(restarted, migrated, "node3", "node1", "running (migrated)")).toEqual({
      how: "live",
    });
  });

  it("calls a failed migrate_to followed by a start on the target a restart, with why", () => {
    expect(judge(onNode2, restarted, "node2", "node3", "running (booted)")).toEqual({
      how: "restarted",
      reason: "migration failed (migrate_to failed on node2: error)",
    });
  });

  it("does not trust a history whose target domain was booted rather than migrated in", () => {
    expect(judge(restarted, migrated, "node3", "node1", "running (booted)")).toMatchObject({
      how: "restarted",
    });
  });

  it("finds only the operations recorded after the first reading", () => {
    const since = operationsSince(
      parseOperationHistory(onNode2),
      parseOperationHistory(restarted),
      "web1",
    );
    expect(since.map((op) => `${op.node}:${op.task}:${op.rc}`).sort()).toEqual([
      "node2:migrate_to:1",
      "node2:stop:0",
      "node3:monitor:0",
      "node3:start:0",
    ]);
  });
});
