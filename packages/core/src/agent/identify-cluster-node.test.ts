import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type NodeFacts, nodeFactsSchema } from "./agent-protocol.ts";
import { identifyClusterNode } from "./identify-cluster-node.ts";

const labFacts: NodeFacts = nodeFactsSchema.parse(
  JSON.parse(readFileSync(new URL("./fixtures/agent-facts-node1.json", import.meta.url), "utf8")),
);

describe("identifyClusterNode", () => {
  it("names the node, its cluster and the members to offer", () => {
    expect(identifyClusterNode("10.0.0.11", labFacts, labFacts.clusterName ?? undefined)).toEqual({
      ok: true,
      value: {
        nodeName: "node1",
        clusterName: labFacts.clusterName,
        members: ["node1", "node2", "node3"],
      },
    });
  });

  it("refuses a node of another cluster", () => {
    expect(identifyClusterNode("10.0.0.11", labFacts, "production")).toMatchObject({
      ok: false,
      error: { code: "FOREIGN_CLUSTER", message: expect.stringContaining('not "production"') },
    });
  });

  it("refuses a host that runs no cluster, saying why", () => {
    const stopped: NodeFacts = {
      ...labFacts,
      nodeName: null,
      clusterName: null,
      problems: [
        { fact: "nodeName", code: "TOOL_FAILED", message: "crm_node -n exited with code 102" },
      ],
    };
    expect(identifyClusterNode("h", stopped)).toMatchObject({
      ok: false,
      error: {
        code: "NOT_PACEMAKER_NODE",
        message: expect.stringMatching(/not running.*crm_node -n/),
      },
    });
    const bare = { ...stopped, versions: { ...labFacts.versions, pacemaker: null } };
    expect(identifyClusterNode("h", bare)).toMatchObject({
      error: { code: "NOT_PACEMAKER_NODE", message: expect.stringContaining("not installed") },
    });
  });
});
