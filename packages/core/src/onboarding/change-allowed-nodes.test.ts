import { describe, expect, it } from "vitest";
import {
  allowedNodesGeneration,
  allowedNodesOf,
  type LocationConstraint,
  parseLocationConstraints,
} from "../inventory/parse-location-constraints.ts";
import { planAllowedNodesChange } from "./change-allowed-nodes.ts";

const test = {
  domain: "local1",
  uuid: null,
  config: "/etc/pacemaker/local1.xml",
  startTimeoutS: 60,
  shutdownTimeoutS: 60,
  guestAlive: null,
};

// As `cibadmin --query --scope constraints` printed them on the lab: a change cut between
// writing generation 2 and deleting generation 1 leaves both.
const cib = `<constraints>
  <rsc_location id="corral-allowed-local1" rsc="local1">
    <rule id="corral-allowed-local1-rule" boolean-op="and" score="-INFINITY">
      <expression id="e1" operation="ne" attribute="#uname" value="node1"/>
    </rule>
  </rsc_location>
  <rsc_location id="corral-allowed-local1-gen2" rsc="local1">
    <rule id="corral-allowed-local1-gen2-rule" boolean-op="and" score="-INFINITY">
      <expression id="e2" operation="ne" attribute="#uname" value="node1"/>
      <expression id="e3" operation="ne" attribute="#uname" value="node2"/>
    </rule>
  </rsc_location>
  <rsc_location id="cli-prefer-local1" rsc="local1" node="node1" score="INFINITY"/>
</constraints>`;

const both = parseLocationConstraints(cib);
const first = both.filter((c) => c.id === "corral-allowed-local1");

const plan = (next: string[], constraints: LocationConstraint[], runningOn = ["node1"]) =>
  planAllowedNodesChange({
    resource: "local1",
    next,
    clusterNodes: ["node1", "node2", "node3"],
    constraints,
    runningOn,
    configPath: test.config,
    test,
  });

describe("allowed-nodes constraints", () => {
  it("reads every generation as Corral's and applies them all: only the nodes both allow", () => {
    expect(both.map((c) => c.origin)).toEqual(["allowed-nodes", "allowed-nodes", "move"]);
    expect(allowedNodesOf(both)).toEqual(["node1"]);
    expect(allowedNodesOf(both.filter((c) => c.origin === "move"))).toBeNull();
  });

  it("numbers generations, and no other resource's id is taken for one", () => {
    expect(allowedNodesGeneration("corral-allowed-local1", "local1")).toBe(1);
    expect(allowedNodesGeneration("corral-allowed-local1-gen2", "local1")).toBe(2);
    expect(allowedNodesGeneration("corral-allowed-local1-gen1", "local1")).toBeNull();
    expect(allowedNodesGeneration("corral-allowed-local1-genx", "local1")).toBeNull();
    expect(allowedNodesGeneration("corral-allowed-local1-2", "local1")).toBeNull();
  });
});

describe("planAllowedNodesChange", () => {
  it("adding a node copies the config, tests there, then writes the next generation before deleting the old", () => {
    const planned = plan(["node1", "node2"], first);
    expect(planned.ok).toBe(true);
    if (!planned.ok) return;
    expect(planned.value).toMatchObject({
      current: ["node1"],
      added: ["node2"],
      removed: [],
      movesOff: [],
    });
    expect(planned.value.bind).toEqual([
      [
        "pcs",
        "constraint",
        "location",
        "local1",
        "rule",
        "constraint-id=corral-allowed-local1-gen2",
        "score=-INFINITY",
        "#uname",
        "ne",
        "node1",
        "and",
        "#uname",
        "ne",
        "node2",
      ],
      ["pcs", "constraint", "delete", "corral-allowed-local1"],
    ]);
    const commands = planned.value.commands.map((argv) => argv.join(" "));
    expect(commands[0]).toBe("cat -- /etc/pacemaker/local1.xml");
    const enable = commands.findIndex((c) => c.startsWith("pcs resource enable local1"));
    expect(commands.findIndex((c) => c.startsWith("pcs resource disable local1"))).toBeLessThan(
      enable,
    );
    expect(enable).toBeLessThan(commands.findIndex((c) => c.startsWith("pcs constraint location")));
  });

  it("removing the node the VM runs on tests nothing and says Pacemaker moves it off", () => {
    const planned = plan(["node2"], both.slice(1), ["node1"]);
    expect(planned.ok && planned.value).toMatchObject({
      added: [],
      removed: ["node1"],
      movesOff: ["node1"],
    });
    expect(planned.ok && planned.value.commands.map((argv) => argv[1])).toEqual([
      "constraint",
      "constraint",
    ]);
  });

  it("after a cut change, deletes both older generations and writes the third", () => {
    const planned = plan(["node1"], both);
    expect(planned.ok && planned.value.bind.map((argv) => argv.join(" "))).toEqual([
      "pcs constraint location local1 rule constraint-id=corral-allowed-local1-gen3 score=-INFINITY #uname ne node1",
      "pcs constraint delete corral-allowed-local1",
      "pcs constraint delete corral-allowed-local1-gen2",
    ]);
  });

  it.each([
    [[], "Allow at least one node."],
    [["node9"], "node9 is no node of this cluster."],
    [["node1"], "local1 is already allowed on exactly node1."],
  ])("refuses %j: %s", (next, message) => {
    const planned = plan(next, first);
    expect(planned.ok).toBe(false);
    if (!planned.ok) expect(planned.error.message).toBe(message);
  });

  it("refuses to add a node when the resource has no config to copy there", () => {
    const planned = planAllowedNodesChange({
      resource: "local1",
      next: ["node1", "node3"],
      clusterNodes: ["node1", "node2", "node3"],
      constraints: first,
      runningOn: [],
      configPath: null,
      test,
    });
    expect(!planned.ok && planned.error.message).toBe(
      "local1 has no config parameter to copy to node3.",
    );
  });
});
