import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseCrmMonXml } from "./cluster-status.ts";

// Recorded on a 3-node lab: web1 created on node1, then node3 crashed.
const fixture = (name: string) =>
  readFileSync(new URL(`fixtures/${name}`, import.meta.url), "utf8");

describe("parseCrmMonXml", () => {
  it("reads quorum, online nodes and where a resource is Started", () => {
    expect(parseCrmMonXml(fixture("crm-mon-web1-started.xml"))).toEqual({
      quorum: true,
      online: ["node1", "node2", "node3"],
      resources: { web1: { role: "Started", nodes: ["node1"] } },
    });
  });

  it("leaves a node that lost power out of the online list", () => {
    expect(parseCrmMonXml(fixture("crm-mon-node3-offline.xml")).online).toEqual(["node1", "node2"]);
  });

  it("reports no quorum and no nodes for output without a summary", () => {
    expect(parseCrmMonXml('<pacemaker-result api-version="2.25"/>')).toEqual({
      quorum: false,
      online: [],
      resources: {},
    });
  });
});
