import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseLocationConstraints } from "./parse-location-constraints.ts";

describe("parseLocationConstraints: Corral's allowed-nodes rule", () => {
  it("reads the nodes the rule leaves the resource (recorded with pcs -f on the lab)", () => {
    const xml = readFileSync(
      new URL("./fixtures/cib-constraints-allowed-nodes.xml", import.meta.url),
      "utf8",
    );
    expect(parseLocationConstraints(xml)).toEqual([
      {
        id: "corral-allowed-tst",
        resource: "tst",
        node: null,
        score: "-INFINITY",
        role: null,
        origin: "allowed-nodes",
        hasRules: true,
        allowedNodes: ["node1", "node2"],
      },
    ]);
  });
});
