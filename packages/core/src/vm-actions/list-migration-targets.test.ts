import { describe, expect, it } from "vitest";
import { AppError } from "../errors.ts";
import type { StorageReport } from "../onboarding/check-storage.ts";
import type { ConfigDrift } from "./compare-config-across-nodes.ts";
import { listMigrationTargets } from "./list-migration-targets.ts";

const disk = { path: "/srv/shared/images/web1.img", use: "disk vda" };
const kernel = { path: "/srv/shared/boot/vmlinuz", use: "kernel" };
const initrd = { path: "/srv/shared/boot/initrd.img", use: "initrd" };

/** A report as checkStorage builds it: the nodes that answered and the paths missing on each. */
function storageReport(
  missing: Record<string, (typeof disk)[]>,
  unanswered: Record<string, string>,
): StorageReport {
  const answered = ["node1", "node2", "node3", "node4", "node5", "node6", "node7", "node8"].filter(
    (node) => !(node in unanswered),
  );
  return {
    paths: [],
    readyNodes: answered.filter((node) => !missing[node]),
    problems: Object.entries(missing).flatMap(([node, paths]) =>
      paths.map((path) => ({ node, ...path, problem: "does not exist" })),
    ),
    answers: [
      ...answered.map((nodeId) => ({ nodeId, result: { ok: true as const, value: [] } })),
      ...Object.entries(unanswered).map(([nodeId, message]) => ({
        nodeId,
        result: { ok: false as const, error: new AppError("NODE_UNREACHABLE", message) },
      })),
    ],
  };
}

/** What `pcs resource ban web1 NODE` leaves. */
const ban = (node: string) => ({
  id: `cli-ban-web1-on-${node}`,
  resource: "web1",
  node,
  score: "-INFINITY",
  role: null,
  origin: "ban" as const,
  hasRules: false,
  allowedNodes: null,
});

/** The config's hashes per node, as compareConfigAcrossNodes reports them. */
const driftOf = (copies: ConfigDrift["copies"]): ConfigDrift => ({
  path: "/etc/pacemaker/web1.xml",
  identical: false,
  majoritySha256: "a",
  copies,
});

/** node1, node2, ... in the given states, their libvirt not heard from yet. */
const numbered = (...states: string[]) =>
  states.map((state, index) => ({ name: `node${index + 1}`, state, libvirt: null }));

describe("listMigrationTargets", () => {
  it("greys out the nodes Corral's allowed-nodes constraint keeps the VM off", () => {
    const targets = listMigrationTargets({
      nodes: numbered("online", "online", "online"),
      runningOn: ["node1"],
      constraints: [
        {
          id: "corral-allowed-web1",
          resource: "web1",
          node: null,
          score: "-INFINITY",
          role: null,
          origin: "allowed-nodes",
          hasRules: true,
          allowedNodes: ["node1", "node2"],
        },
      ],
      drift: null,
      storage: null,
    });
    expect(targets.map((t) => [t.node, t.allowed, t.reason])).toEqual([
      ["node1", false, "the VM runs here"],
      ["node2", true, null],
      ["node3", false, "not an allowed node (allowed: node1, node2)"],
    ]);
  });

  it("greys out every node that cannot take the VM, with the reason", () => {
    const targets = listMigrationTargets({
      nodes: numbered("online", "standby", "offline", "online", "online", "online", "online"),
      runningOn: ["node1"],
      constraints: [ban("node6")],
      drift: driftOf([
        { node: "node1", sha256: "a", problem: null },
        { node: "node4", sha256: null, problem: "node4: /etc/pacemaker/web1.xml does not exist" },
        { node: "node5", sha256: "b", problem: null },
        { node: "node6", sha256: "a", problem: null },
        { node: "node7", sha256: "a", problem: null },
      ]),
      storage: null,
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

  it("greys out an online node whose libvirt does not answer, after the node's own state", () => {
    const down = { up: false, error: "libvirtd is not running" };
    const [, standby, stopped, answering] = listMigrationTargets({
      nodes: [
        { name: "node1", state: "online", libvirt: { up: true, error: null } },
        { name: "node2", state: "standby", libvirt: down },
        { name: "node3", state: "online", libvirt: down },
        { name: "node4", state: "online", libvirt: { up: true, error: null } },
      ],
      runningOn: ["node1"],
      constraints: [],
      drift: null,
      storage: null,
    });
    expect(standby?.reason).toBe("node is standby");
    expect(stopped).toEqual({
      node: "node3",
      allowed: false,
      reason: "libvirt does not answer here: libvirtd is not running",
    });
    expect(answering).toEqual({ node: "node4", allowed: true, reason: null });
  });

  it("greys out a node missing the VM's storage, after the node and config reasons, before a ban", () => {
    const targets = listMigrationTargets({
      nodes: numbered(
        "online",
        "online",
        "online",
        "online",
        "online",
        "online",
        "online",
        "standby",
      ),
      runningOn: ["node1"],
      constraints: [ban("node5"), ban("node6")],
      drift: driftOf([
        { node: "node1", sha256: "a", problem: null },
        { node: "node4", sha256: null, problem: "node4: /etc/pacemaker/web1.xml does not exist" },
      ]),
      storage: {
        readFrom: "node1",
        problem: null,
        report: storageReport(
          {
            node2: [kernel, initrd, disk],
            node4: [disk],
            node5: [disk],
            node8: [disk],
          },
          { node3: "node3: connection refused" },
        ),
        uncheckable: [],
      },
    });
    expect(targets.map(({ node, allowed, reason }) => [node, allowed, reason])).toEqual([
      ["node1", false, "the VM runs here"],
      [
        "node2",
        false,
        "storage missing: /srv/shared/boot/vmlinuz (kernel): does not exist; +2 more",
      ],
      ["node3", false, "storage not checked: node3: connection refused"],
      ["node4", false, "config missing: node4: /etc/pacemaker/web1.xml does not exist"],
      ["node5", false, "storage missing: /srv/shared/images/web1.img (disk vda): does not exist"],
      ["node6", false, "banned by constraint cli-ban-web1-on-node6"],
      ["node7", true, null],
      ["node8", false, "node is standby"],
    ]);
  });

  it("greys out every other online node when the VM's paths could not be listed", () => {
    const targets = listMigrationTargets({
      nodes: numbered("online", "online", "offline"),
      runningOn: ["node1"],
      constraints: [],
      drift: null,
      storage: {
        readFrom: "node1",
        problem: "/etc/pacemaker/web1.xml on node1: The domain XML has no <domain> element.",
        report: null,
        uncheckable: [],
      },
    });
    expect(targets.map(({ node, reason }) => [node, reason])).toEqual([
      ["node1", "the VM runs here"],
      [
        "node2",
        "storage not checked: /etc/pacemaker/web1.xml on node1: The domain XML has no <domain> element.",
      ],
      ["node3", "node is offline"],
    ]);
  });
});
