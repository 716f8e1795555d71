import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseCrmMon, parseFenceDeviceList, parseFenceHistory } from "./parse-crm-mon.ts";
import { parseLocationConstraints } from "./parse-location-constraints.ts";

const fixture = (name: string) =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");

describe("parseCrmMon (fixtures recorded from the lab)", () => {
  // fence_dummy as the lab's device: node3 fenced, then node2 with the device set to fail.
  it("reads the fencer's history, newest first", () => {
    expect(parseCrmMon(fixture("crm-mon-fence-history.xml")).fenceHistory).toEqual([
      {
        action: "reboot",
        target: "node2",
        status: "failed",
        delegate: "node1",
        client: "stonith_admin.185",
        exitReason: "Fence agent did not complete within 20s",
        completed: "2026-11-29 20:58:16Z",
      },
      {
        action: "reboot",
        target: "node3",
        status: "success",
        delegate: "node1",
        client: "stonith_admin.162",
        exitReason: "",
        completed: "2026-11-29 20:57:40Z",
      },
    ]);
    expect(parseCrmMon(fixture("crm-mon-maintenance.xml")).fenceHistory).toEqual([]);
  });

  it("reads the devices that can fence a node", () => {
    expect(parseFenceDeviceList(fixture("stonith-admin-list-node2.xml"))).toEqual(["lab-fence"]);
    expect(
      parseFenceDeviceList(
        '<pacemaker-result api-version="2.25" request="stonith_admin --list node2 --output-as=xml"><list name="registered fence devices" count="0"/><status code="0" message="OK"/></pacemaker-result>',
      ),
    ).toEqual([]);
  });

  // The same events from the fencer itself, as the monitor reads them between CIB changes.
  it("reads stonith_admin's history as crm_mon's", () => {
    expect(
      parseFenceHistory(fixture("stonith-admin-history.xml")).map((event) => [
        event.target,
        event.status,
        event.exitReason,
      ]),
    ).toEqual([
      ["node2", "failed", "Fence agent did not complete within 5s"],
      ["node3", "success", ""],
    ]);
  });

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

  it("reports crm_mon's own error document in crm_mon's words", () => {
    // `crm_mon --one-shot --output-as=xml` on a node where pacemaker is stopped (exit 102), and
    // `CIB_file=/nonexistent.xml crm_mon --output-as=xml` (exit 0, no summary either).
    expect(() => parseCrmMon(fixture("crm-mon-error-not-connected.xml"))).toThrow(
      expect.objectContaining({
        code: "COMMAND_FAILED",
        message:
          "crm_mon: error: Could not connect to launcher: Connection refused; crm_mon: Connection to cluster failed: Connection refused; Not connected (code 102)",
      }),
    );
    expect(() => parseCrmMon(fixture("crm-mon-error-no-cib.xml"))).toThrow(
      expect.objectContaining({
        message: expect.stringContaining("Could not connect to the CIB: No such device or address"),
      }),
    );
  });

  it("refuses malformed and foreign XML with PARSE_ERROR", () => {
    const truncated = fixture("crm-mon-maintenance.xml").slice(0, 500);
    expect(() => parseCrmMon(truncated)).toThrow(expect.objectContaining({ code: "PARSE_ERROR" }));
    expect(() => parseCrmMon("<html><body/></html>")).toThrow(
      expect.objectContaining({ code: "PARSE_ERROR", message: expect.stringContaining("summary") }),
    );
  });
});

// Rendered by `CIB_file=fixtures/cib/crm-mon-shapes.cib.xml crm_mon --output-as=xml` (pacemaker
// 2.1.5) from a CIB written by hand: an unclean node, a node named hb2-ü, a remote node, a guest
// VM, an anonymous clone, a bundle of two replicas, an orphan, a disabled VirtualDomain from
// another provider, and failures recorded without operation key or without last-rc-change.
describe("parseCrmMon on shapes the lab never produces", () => {
  const status = parseCrmMon(fixture("crm-mon-shapes.xml"));
  const resources = (id: string) => status.resources.filter((resource) => resource.id === id);

  it("reads unclean nodes as unclean, node types, and decodes character references", () => {
    const nodes = Object.fromEntries(
      status.nodes.map((node) => [node.name, `${node.type} ${node.state}`]),
    );
    expect(nodes).toEqual({
      guest1: "guest offline",
      "hb2-ü": "member online",
      node1: "member online",
      node3: "member unclean",
      remote1: "remote online",
      "web-bundle-0": "guest online",
      "web-bundle-1": "guest offline",
    });
    expect(status.nodes.find((node) => node.name === "node3")).toMatchObject({
      online: false,
      unclean: true,
    });
    expect(resources("guestvm")[0]?.nodes).toEqual(["hb2-ü"]);
  });

  it("reads the members of every bundle replica and keeps clone instances apart", () => {
    expect(
      resources("web").map(({ parent, instance, role, nodes }) => ({
        parent,
        instance,
        role,
        nodes,
      })),
    ).toEqual([
      { parent: "web-bundle", instance: 0, role: "Started", nodes: ["web-bundle-0"] },
      { parent: "web-bundle", instance: 1, role: "Stopped", nodes: [] },
    ]);
    expect(resources("web-bundle-podman-0")[0]).toMatchObject({
      parent: "web-bundle",
      nodes: ["node1"],
    });
    expect(
      resources("ping").map(({ instance, nodes }) => `${instance}:${nodes.join(",")}`),
    ).toEqual(["0:node1", "1:hb2-ü", "2:", "3:", "4:"]);
    expect(resources("vm1")[0]).toMatchObject({ parent: null, instance: null });
  });

  it("reads the orphaned flag and the target role", () => {
    expect(resources("ghost1")[0]).toMatchObject({
      orphaned: true,
      role: "Started",
      nodes: ["node1"],
    });
    expect(resources("vm1")[0]).toMatchObject({ orphaned: false, targetRole: null });
    expect(resources("vm2")[0]).toMatchObject({
      agent: "ocf:custom:VirtualDomain",
      role: "Stopped",
      targetRole: "Stopped",
    });
  });

  it("reads failures written with id= and without task, reasons untrimmed", () => {
    expect(status.failedActions).toEqual([
      {
        resource: "vm3",
        operation: "start",
        node: "node1",
        exitCode: 1,
        exitStatus: "error",
        exitReason: "  domain won't start: disk ä & <b> missing  ",
        at: "2025-11-29 07:06:40Z",
      },
      {
        resource: "vm1",
        operation: "migrate_to",
        node: "hb2-ü",
        exitCode: 1,
        exitStatus: "error",
        exitReason: "migration to node1 failed",
        at: "",
      },
    ]);
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
