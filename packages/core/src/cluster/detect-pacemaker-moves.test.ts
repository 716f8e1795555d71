import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseOperationHistory } from "../inventory/parse-operation-history.ts";
import { detectPacemakerMoves, movedLive } from "./detect-pacemaker-moves.ts";
import type { Inventory, InventoryVm } from "./inventory.types.ts";

const at = (role: string, nodes: string[]) =>
  ({
    vms: [{ name: "web1", resource: { id: "web1", role, nodes } } as unknown as InventoryVm],
  }) as Pick<Inventory, "vms">;

const history = (name: string) =>
  parseOperationHistory(
    readFileSync(new URL(`../vm-actions/fixtures/crm-mon-${name}.xml`, import.meta.url), "utf8"),
  );

describe("detectPacemakerMoves", () => {
  it("sees a resource Started on one node, then on another", () => {
    expect(detectPacemakerMoves(at("Started", ["node1"]), at("Started", ["node2"]))).toEqual([
      { vm: "web1", resource: "web1", from: "node1", to: "node2" },
    ]);
  });

  it("ignores a resource still where it was, stopped, or migrating", () => {
    expect(detectPacemakerMoves(at("Started", ["node1"]), at("Started", ["node1"]))).toEqual([]);
    expect(detectPacemakerMoves(at("Started", ["node1"]), at("Stopped", []))).toEqual([]);
    expect(
      detectPacemakerMoves(at("Started", ["node1"]), at("Migrating", ["node1", "node2"])),
    ).toEqual([]);
  });
});

describe("movedLive (the target's record, recorded on the lab)", () => {
  it("is live after a migrate_from, not after a start", () => {
    expect(movedLive(history("web1-migrated-node3-to-node1"), "web1", "node1")).toBe(true);
    expect(movedLive(history("web1-restarted-on-node3"), "web1", "node3")).toBe(false);
  });
});
