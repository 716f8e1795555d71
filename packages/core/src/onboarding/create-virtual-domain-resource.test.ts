import { describe, expect, it } from "vitest";
import type { ClusterStatus, FailedAction } from "../inventory/parse-crm-mon.ts";
import {
  allowedNodesConstraintArgv,
  defaultResourceOptions,
  resourceCreationCommands,
} from "./build-resource-create-command.ts";
import { startFailedEverywhere } from "./create-virtual-domain-resource.ts";

const failedStart = (node: string, at: string): FailedAction => ({
  resource: "web1",
  operation: "start",
  node,
  exitCode: 5,
  exitStatus: "not installed",
  exitReason: "Configuration file /etc/pacemaker/web 1.xml does not exist or not readable",
  at,
});

const status = (failedActions: FailedAction[]) => ({ failedActions }) as ClusterStatus;

describe("the create step's commands", () => {
  it("creates disabled, binds the allowed nodes with one rule, then enables", () => {
    const options = defaultResourceOptions({
      name: "VirtualDomain",
      version: null,
      shortdesc: "",
      longdesc: "",
      parameters: [],
      actions: [],
    });
    const commands = resourceCreationCommands({
      name: "web1",
      configPath: "/etc/pacemaker/web1.xml",
      options,
      allowedNodes: ["node1", "node2"],
    });
    expect(commands[0]?.at(-1)).toBe("--disabled");
    expect(commands[1]).toEqual(allowedNodesConstraintArgv("web1", ["node1", "node2"]));
    expect(commands[1]?.join(" ")).toBe(
      "pcs constraint location web1 rule constraint-id=corral-allowed-web1 score=-INFINITY #uname ne node1 and #uname ne node2",
    );
    expect(commands[2]).toEqual(["pcs", "resource", "enable", "web1"]);
  });
});

describe("startFailedEverywhere", () => {
  const since = Date.parse("2026-11-29T10:00:00Z");
  it("answers once a start failed on every allowed node since the create", () => {
    const one = status([failedStart("node1", "2026-11-29T10:00:05Z")]);
    expect(startFailedEverywhere(one, "web1", ["node1", "node2"], since)).toBeNull();
    const both = status([
      failedStart("node1", "2026-11-29T10:00:05Z"),
      failedStart("node2", "2026-11-29T10:00:06Z"),
    ]);
    expect(startFailedEverywhere(both, "web1", ["node1", "node2"], since)).toContain(
      "node2: Configuration file",
    );
  });

  it("ignores failures older than the create and on nodes that are not allowed", () => {
    const old = status([
      failedStart("node1", "2026-11-29T09:00:00Z"),
      failedStart("node2", "2026-11-29T10:00:06Z"),
      failedStart("node3", "2026-11-29T10:00:06Z"),
    ]);
    expect(startFailedEverywhere(old, "web1", ["node1", "node2"], since)).toBeNull();
  });
});
