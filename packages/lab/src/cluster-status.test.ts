import { readFileSync } from "node:fs";
import { parseCrmMon } from "@corral/core";
import { describe, expect, it } from "vitest";
import { onlineNodeNames, startedOn } from "./cluster-status.ts";

// Recorded on a 3-node lab: web1 created on node1, then node3 crashed.
const fixture = (name: string) =>
  parseCrmMon(readFileSync(new URL(`fixtures/${name}`, import.meta.url), "utf8"));

describe("lab cluster status", () => {
  it("reads quorum, online nodes and where a resource is Started", () => {
    const status = fixture("crm-mon-web1-started.xml");
    expect(status.quorate).toBe(true);
    expect(onlineNodeNames(status)).toEqual(["node1", "node2", "node3"]);
    expect(startedOn(status, "web1")).toBe("node1");
  });

  it("leaves a node that lost power out of the online list", () => {
    expect(onlineNodeNames(fixture("crm-mon-node3-offline.xml"))).toEqual(["node1", "node2"]);
  });

  it("gives no location for a resource the cluster does not know", () => {
    expect(startedOn(fixture("crm-mon-web1-started.xml"), "web2")).toBeUndefined();
  });

  it("gives no location for a resource that is not Started on exactly one node", () => {
    const status = fixture("crm-mon-web1-started.xml");
    const web1 = status.resources.find((resource) => resource.id === "web1");
    if (!web1) throw new Error("fixture lists no web1");
    expect(
      startedOn({ ...status, resources: [{ ...web1, role: "Stopped", nodes: [] }] }, "web1"),
    ).toBeUndefined();
    expect(
      startedOn({ ...status, resources: [{ ...web1, nodes: ["node1", "node2"] }] }, "web1"),
    ).toBeUndefined();
  });
});
