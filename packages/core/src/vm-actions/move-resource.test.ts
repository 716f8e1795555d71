import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseCrmMon } from "../inventory/parse-crm-mon.ts";
import { movePhase, moveResourceArgv } from "./move-resource.ts";

const web1In = (name: string) =>
  parseCrmMon(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8")).resources.find(
    (resource) => resource.id === "web1",
  ) ?? null;

// Recorded on the lab while `pcs resource move web1 node3` migrated it live from node2.
describe("movePhase", () => {
  const move = { source: "node2", target: "node3" };

  it("reads the memory transfer on the source as migrate_to", () => {
    expect(movePhase(web1In("crm-mon-migrate-to.xml"), move)).toBe("migrate_to");
  });

  it("reads the target taking over as migrate_from", () => {
    expect(movePhase(web1In("crm-mon-migrate-from.xml"), move)).toBe("migrate_from");
  });

  it("reads the stop of the old instance as stopping_source", () => {
    expect(movePhase(web1In("crm-mon-stopping-source.xml"), move)).toBe("stopping_source");
  });

  it("is started only when it runs on the target alone", () => {
    const recorded = web1In("crm-mon-migrate-to.xml");
    if (!recorded) throw new Error("the fixture has no web1");
    const started = { ...recorded, role: "Started" };
    expect(movePhase({ ...started, nodes: ["node3"] }, move)).toBe("started");
    expect(movePhase({ ...started, nodes: ["node2"] }, move)).toBe("requested");
    expect(movePhase(null, move)).toBe("requested");
  });
});

describe("moveResourceArgv", () => {
  it("clears the constraint by default, keeps it or keeps it for a lifetime when asked, waiting", () => {
    expect(moveResourceArgv("web1", "node2")).toEqual(["pcs", "resource", "move", "web1", "node2"]);
    expect(moveResourceArgv("web1", "node2", "keep")).toEqual([
      "pcs",
      "resource",
      "move-with-constraint",
      "web1",
      "node2",
      "--wait=180",
    ]);
    expect(moveResourceArgv("web1", "node2", "PT8H")).toEqual([
      "pcs",
      "resource",
      "move-with-constraint",
      "web1",
      "node2",
      "lifetime=PT8H",
      "--wait=180",
    ]);
  });
});
