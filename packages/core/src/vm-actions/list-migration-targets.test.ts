import { describe, expect, it } from "vitest";
import { listMigrationTargets } from "./list-migration-targets.ts";

describe("listMigrationTargets", () => {
  it("greys out every node that cannot take the VM, with the reason", () => {
    const targets = listMigrationTargets({
      nodes: [
        { name: "node1", state: "online" },
        { name: "node2", state: "standby" },
        { name: "node3", state: "offline" },
        { name: "node4", state: "online" },
        { name: "node5", state: "online" },
        { name: "node6", state: "online" },
        { name: "node7", state: "online" },
      ],
      runningOn: ["node1"],
      constraints: [
        {
          id: "cli-ban-web1-on-node6",
          resource: "web1",
          node: "node6",
          score: "-INFINITY",
          role: null,
          origin: "ban",
          hasRules: false,
        },
      ],
      drift: {
        path: "/etc/pacemaker/web1.xml",
        identical: false,
        majoritySha256: "a",
        copies: [
          { node: "node1", sha256: "a", problem: null },
          { node: "node4", sha256: null, problem: "node4: /etc/pacemaker/web1.xml does not exist" },
          { node: "node5", sha256: "b", problem: null },
          { node: "node6", sha256: "a", problem: null },
          { node: "node7", sha256: "a", problem: null },
        ],
      },
    });
    expect(targets.map(({ node, allowed, reason }) => [node, allowed, reason])).toEqual([
      ["node1", false, "the VM runs here"],
      ["node2", false, "node is standby"],
      ["node3", false, "node is offline"],
      ["node4", false, "config missing: node4: /etc/pacemaker/web1.xml does not exist"],
      ["node5", false, "config differs from the running node's copy"],
      ["node6", false, "banned by constraint cli-ban-web1-on-node6"],
      ["node7", true, null],
    ]);
  });
});
