import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseCrmMon } from "./parse-crm-mon.ts";
import { parseLocationConstraints } from "./parse-location-constraints.ts";

const fixture = (name: string) =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");

describe("parseCrmMon (fixtures recorded from the lab)", () => {
  it("reads quorum, DC, standby, resources, failed actions and fail counts", () => {
    const status = parseCrmMon(fixture("crm-mon-standby-ban-failed.xml"));
    expect(status).toMatchObject({ dc: "node3", quorate: true, stonithEnabled: false });
    expect(status.nodes.map(({ name, state, isDc }) => ({ name, state, isDc }))).toEqual([
      { name: "node1", state: "online", isDc: false },
      { name: "node2", state: "online", isDc: false },
      { name: "node3", state: "standby", isDc: true },
    ]);
    expect(status.resources).toEqual([
      expect.objectContaining({
        id: "web1",
        agent: "ocf:heartbeat:VirtualDomain",
        role: "Started",
        nodes: ["node1"],
        parent: null,
      }),
      expect.objectContaining({ id: "broken1", role: "Stopped", active: false, nodes: [] }),
    ]);
    expect(status.failedActions).toHaveLength(3);
    expect(status.failedActions[0]).toEqual({
      resource: "broken1",
      operation: "start",
      node: "node3",
      exitCode: 5,
      exitStatus: "not installed",
      exitReason: "environment is invalid, resource considered stopped",
      at: "2026-11-24 22:24:02Z",
    });
    expect(
      status.failCounts
        .map(({ node, resource, failCount }) => `${node}:${resource}:${failCount}`)
        .sort(),
    ).toEqual(["node1:broken1:1000000", "node2:broken1:1000000", "node3:broken1:1000000"]);
  });

  it("reads a node in maintenance", () => {
    const status = parseCrmMon(fixture("crm-mon-maintenance.xml"));
    expect(status.nodes.find((node) => node.name === "node2")).toMatchObject({
      state: "maintenance",
      maintenance: true,
    });
  });

  it("reads a node that lost power as offline", () => {
    const status = parseCrmMon(fixture("crm-mon-node-offline.xml"));
    expect(status.nodes.find((node) => node.name === "node2")).toMatchObject({
      state: "offline",
      online: false,
    });
    expect(status.quorate).toBe(true);
  });

  it("refuses malformed and foreign XML with PARSE_ERROR", () => {
    const truncated = fixture("crm-mon-maintenance.xml").slice(0, 500);
    expect(() => parseCrmMon(truncated)).toThrow(expect.objectContaining({ code: "PARSE_ERROR" }));
    expect(() => parseCrmMon("<html><body/></html>")).toThrow(
      expect.objectContaining({ code: "PARSE_ERROR", message: expect.stringContaining("summary") }),
    );
  });
});

describe("parseLocationConstraints", () => {
  it("marks the constraint pcs resource ban left behind", () => {
    expect(parseLocationConstraints(fixture("cib-constraints.xml"))).toEqual([
      {
        id: "cli-ban-web1-on-node2",
        resource: "web1",
        node: "node2",
        score: "-INFINITY",
        role: "Started",
        origin: "ban",
        hasRules: false,
        allowedNodes: null,
      },
    ]);
  });

  it("reads an empty constraint section and refuses other XML", () => {
    expect(parseLocationConstraints("<constraints/>")).toEqual([]);
    expect(() => parseLocationConstraints("<cib/>")).toThrow(
      expect.objectContaining({ code: "PARSE_ERROR" }),
    );
  });
});
