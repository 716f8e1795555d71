import { describe, expect, it } from "vitest";
import type {
  ClusterSummary,
  Inventory,
  InventoryNode,
  InventoryVm,
  VmResource,
} from "../cluster/inventory.types.ts";
import { testInventory, testVm } from "../testing/inventory-fixtures.ts";
import type { FindingObservation } from "./finding.types.ts";
import { observeInventoryFindings } from "./observe-inventory-findings.ts";

const healthy: ClusterSummary = {
  quorate: true,
  dc: "node1",
  maintenanceMode: false,
  stonithEnabled: true,
  lastChange: null,
  fenceDevices: [{ id: "fence-all", agent: "stonith:fence_xvm", active: true, nodes: ["node1"] }],
  fenceHistory: [],
};

function inventory(
  summary: ClusterSummary | null,
  vms: Partial<InventoryVm>[] = [],
  nodeStates: InventoryNode["state"][] = ["online", "online"],
): Inventory {
  return testInventory({ summary, vms: vms.map(testVm), nodeStates });
}

describe("observeInventoryFindings", () => {
  it("checks nothing while no node answered for the cluster", () => {
    expect(observeInventoryFindings(inventory(null))).toEqual({ checked: [], findings: [] });
  });

  it("finds nothing on a healthy cluster, and says which kinds it checked", () => {
    const observation = observeInventoryFindings(inventory(healthy));
    expect(observation.findings).toEqual([]);
    expect([...observation.checked].sort()).toEqual(
      [
        "autostart-on",
        "config-drift",
        "config-missing",
        "double-run",
        "fence-device-stopped",
        "fencing-disabled",
        "fencing-failed",
        "libvirtd-down",
        "maintenance-mode",
        "no-quorum",
        "persistent-definition",
        "running-outside-pacemaker",
        "stale-constraint",
        "stickiness-zero",
        "unmanaged",
      ].sort(),
    );
  });

  it("turns quorum, maintenance-mode and fencing into cluster findings with their fix", () => {
    const observation = observeInventoryFindings(
      inventory({ ...healthy, quorate: false, maintenanceMode: true, stonithEnabled: false }),
    );
    expect(observation.findings.map((f) => [f.kind, f.severity, f.vm, f.node])).toEqual([
      ["no-quorum", "critical", null, null],
      ["maintenance-mode", "warning", null, null],
      ["fencing-disabled", "critical", null, null],
    ]);
    expect(observation.findings.find((f) => f.kind === "fencing-disabled")?.fix).toEqual([
      "pcs property set stonith-enabled=true",
    ]);
    expect(observation.findings.find((f) => f.kind === "maintenance-mode")?.fix).toEqual([
      "pcs property set maintenance-mode=false",
    ]);
  });

  it("turns each VM alarm into a finding on that VM, keeping its message and fix", () => {
    const observation = observeInventoryFindings(
      inventory(healthy, [
        {
          name: "web1",
          alarms: [
            { kind: "double-run", nodes: ["node1", "node2"], message: "twice", fix: ["a"] },
            { kind: "persistent-definition", nodes: ["node3"], message: "defined", fix: ["b"] },
          ],
        },
        {
          name: "db1",
          alarms: [{ kind: "outside-pacemaker", nodes: ["node2"], message: "outside", fix: ["c"] }],
        },
      ]),
    );
    expect(observation.findings).toEqual([
      {
        kind: "double-run",
        vm: "web1",
        node: null,
        severity: "critical",
        summary: "twice",
        why: expect.any(String),
        fix: ["a"],
      },
      {
        kind: "persistent-definition",
        vm: "web1",
        node: null,
        severity: "warning",
        summary: "defined",
        why: expect.any(String),
        fix: ["b"],
      },
      {
        kind: "running-outside-pacemaker",
        vm: "db1",
        node: null,
        severity: "critical",
        summary: "outside",
        why: expect.any(String),
        fix: ["c"],
      },
    ]);
  });

  it("names the nodes that reject a target's host key apart from paths that fail otherwise", () => {
    const hostKey =
      "failed to connect to the hypervisor Cannot recv data: Host key verification failed.: Connection reset by peer";
    const failures = [
      { from: "node1", to: "node3", uri: "qemu+ssh://node3/system", vms: 2, problem: hostKey },
      { from: "node2", to: "node3", uri: "qemu+ssh://node3/system", vms: 2, problem: hostKey },
      {
        from: "node1",
        to: "node2",
        uri: "qemu+ssh://node2/system",
        vms: 1,
        problem: "node1 cannot connect to qemu+ssh://node2/system: Connection refused",
      },
    ];
    const observe = (complete: boolean) =>
      observeInventoryFindings({
        ...inventory(healthy),
        migrationPaths: { since: new Date(0), complete, probed: 6, failures },
      });
    const observation = observe(true);
    expect(observation.findings.map((f) => [f.kind, f.severity, f.node, f.summary])).toEqual([
      [
        "host-key-changed",
        "critical",
        "node3",
        "node1, node2 no longer accept node3's ssh host key: live migration to node3 fails (2 VMs with allow-migrate).",
      ],
      [
        "migration-uri-broken",
        "warning",
        "node2",
        "Live migration to node2 fails from node1 (1 VM with allow-migrate): node1 cannot connect to qemu+ssh://node2/system: Connection refused",
      ],
    ]);
    expect(observation.findings[0]?.fix).toEqual([
      "ssh node3 ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub",
      "ssh node1 'ssh-keygen -R node3 && ssh -o StrictHostKeyChecking=accept-new node3 true'",
      "ssh node2 'ssh-keygen -R node3 && ssh -o StrictHostKeyChecking=accept-new node3 true'",
    ]);
    expect(observation.checked).toEqual(
      expect.arrayContaining(["host-key-changed", "migration-uri-broken"]),
    );
    // A probe that could not ask every node opens what it found and resolves nothing.
    expect(observe(false).findings).toHaveLength(2);
    expect(observe(false).checked).not.toContain("host-key-changed");
    expect(observe(false).checked).not.toContain("migration-uri-broken");
  });

  it("names a node no device can fence, unless no device runs at all", () => {
    const base = inventory(healthy, [], ["online", "online", "online"]);
    const nodes = base.nodes.map((node, index) => ({
      ...node,
      fencedBy: [["fence-all"], [], null][index] ?? null,
    }));
    const found = observeInventoryFindings({ ...base, nodes }).findings;
    expect(found.map((f) => [f.kind, f.node, f.summary])).toEqual([
      ["fence-device-stopped", "node2", "No fence device can fence node2."],
    ]);
    // node3's devices are not known yet: none of this kind resolves meanwhile.
    expect(observeInventoryFindings({ ...base, nodes }).checked).not.toContain(
      "fence-device-stopped",
    );
    const known = nodes.map((node) => ({ ...node, fencedBy: node.fencedBy ?? ["fence-all"] }));
    expect(observeInventoryFindings({ ...base, nodes: known }).checked).toContain(
      "fence-device-stopped",
    );
    const stopped = { ...healthy, fenceDevices: [{ ...healthy.fenceDevices[0], active: false }] };
    expect(
      observeInventoryFindings({ ...base, summary: stopped as ClusterSummary, nodes }).findings.map(
        (f) => [f.kind, f.node],
      ),
    ).toEqual([["fence-device-stopped", null]]);
  });

  it("finds a node whose latest fencing failed, not one fenced since", () => {
    const event = (target: string, status: string, completed: string) => ({
      action: "reboot",
      target,
      status,
      delegate: "node1",
      client: "pacemaker-controld.1",
      exitReason: status === "failed" ? "Fence agent did not complete within 20s" : "",
      completed,
    });
    const observation = observeInventoryFindings(
      inventory({
        ...healthy,
        fenceHistory: [
          event("node2", "failed", "2026-11-29 20:58:16Z"),
          event("node3", "success", "2026-11-29 20:57:40Z"),
          event("node3", "failed", "2026-11-29 20:50:00Z"),
        ],
      }),
    );
    expect(observation.findings.map((f) => [f.kind, f.severity, f.node, f.summary])).toEqual([
      [
        "fencing-failed",
        "critical",
        "node2",
        "Fencing node2 failed at 2026-11-29 20:58:16Z: Fence agent did not complete within 20s.",
      ],
    ]);
    expect(observation.checked).toContain("fencing-failed");
  });

  it("while a node does not answer, still opens the VM alarms it finds but resolves none", () => {
    const alarm = { kind: "double-run" as const, nodes: ["node1", "node3"], message: "x", fix: [] };
    const observation = observeInventoryFindings(
      inventory(healthy, [{ name: "web1", alarms: [alarm] }], ["online", "unreachable", "online"]),
    );
    expect(observation.findings.map((f) => f.kind)).toEqual(["double-run"]);
    expect([...observation.checked].sort()).toEqual(
      [
        "fence-device-stopped",
        "fencing-disabled",
        "fencing-failed",
        "maintenance-mode",
        "no-quorum",
        "stale-constraint",
        "stickiness-zero",
        "unmanaged",
      ].sort(),
    );
  });

  const resource = (over: Partial<VmResource> = {}): VmResource => ({
    id: "web1",
    role: "Started",
    active: true,
    failed: false,
    managed: true,
    isManaged: true,
    targetRole: null,
    orphaned: false,
    nodes: ["node1"],
    constraints: [],
    allowedNodes: null,
    failCounts: [],
    failedActions: [],
    stickiness: "1",
    problem: null,
    configPath: "/etc/pacemaker/web1.xml",
    allowMigrate: true,
    configCheck: { identical: true, copies: [] },
    ...over,
  });
  const pin = {
    id: "cli-prefer-web1",
    resource: "web1",
    node: "node2",
    score: "INFINITY",
    role: null,
    origin: "move" as const,
    hasRules: false,
    allowedNodes: null,
  };
  const kinds = (observation: FindingObservation) =>
    observation.findings.map((f) => [f.kind, f.severity, f.vm, f.node]);

  it("finds what each managed VM's placements, config copies and resource show", () => {
    const observation = observeInventoryFindings(
      inventory(healthy, [
        {
          placements: [{ node: "node2", state: "shut off", persistent: true, autostart: true }],
          resource: resource({
            managed: false,
            stickiness: "0",
            constraints: [pin],
            configCheck: {
              identical: false,
              copies: [
                { node: "node1", sha256: "aa", problem: null },
                { node: "node2", sha256: null, problem: "No such file or directory" },
              ],
            },
          }),
        },
      ]),
    );
    expect(kinds(observation)).toEqual([
      ["autostart-on", "critical", "web1", "node2"],
      ["config-missing", "critical", "web1", "node2"],
      ["stickiness-zero", "warning", "web1", null],
      ["unmanaged", "warning", "web1", null],
      ["stale-constraint", "warning", "web1", "node2"],
    ]);
    const missing = observation.findings.find((f) => f.kind === "config-missing");
    expect(missing?.summary).toBe(
      "/etc/pacemaker/web1.xml is missing on node2 (No such file or directory).",
    );
    expect(missing?.fix).toEqual([
      "ssh node1 cat -- /etc/pacemaker/web1.xml | ssh node2 'cat > /etc/pacemaker/web1.xml'",
    ]);
    expect(observation.findings.find((f) => f.kind === "stale-constraint")?.fix).toEqual([
      "pcs resource clear web1",
    ]);
  });

  it("copies that all exist but differ are a drift; a move's own constraint is not stale while Pacemaker moves it", () => {
    const drift = {
      identical: false,
      copies: [
        { node: "node1", sha256: "aa", problem: null },
        { node: "node2", sha256: "bb", problem: null },
      ],
    };
    const vms = [{ resource: resource({ configCheck: drift }) }];
    expect(kinds(observeInventoryFindings(inventory(healthy, vms)))).toEqual([
      ["config-drift", "warning", "web1", null],
    ]);
    const migrating = [{ resource: resource({ role: "Migrating", constraints: [pin] }) }];
    expect(observeInventoryFindings(inventory(healthy, migrating)).findings).toEqual([]);
  });

  it("names the VMs a Corral operation holds, by VM or resource name", () => {
    const vms = [
      { name: "web1", resource: resource({ id: "web1-rsc" }) },
      { name: "db1", resource: resource({ id: "db1" }) },
      { name: "app1" },
    ];
    expect(
      observeInventoryFindings(inventory(healthy, vms), new Set(["web1-rsc", "app1"])).held,
    ).toEqual(["web1", "app1"]);
    expect(observeInventoryFindings(inventory(healthy, vms)).held).toBeUndefined();
  });

  it("in maintenance mode, says so once rather than every VM unmanaged, but names a VM unmanaged on purpose", () => {
    const vms = [
      { name: "web1", resource: resource({ managed: false }) },
      { name: "db1", resource: resource({ id: "db1", managed: false, isManaged: false }) },
    ];
    expect(
      kinds(observeInventoryFindings(inventory({ ...healthy, maintenanceMode: true }, vms))),
    ).toEqual([
      ["unmanaged", "warning", "db1", null],
      ["maintenance-mode", "warning", null, null],
    ]);
  });

  it("finds libvirt down on a node it reaches, and fence devices missing or stopped", () => {
    const withLibvirt = inventory({ ...healthy, fenceDevices: [] });
    withLibvirt.nodes = [
      { name: "node1", state: "online", libvirt: { up: true, error: null } },
      { name: "node2", state: "online", libvirt: { up: false, error: "failed to connect" } },
    ] as InventoryNode[];
    const observation = observeInventoryFindings(withLibvirt);
    expect(kinds(observation)).toEqual([
      ["libvirtd-down", "critical", null, "node2"],
      ["fence-device-stopped", "critical", null, null],
    ]);
    expect(observation.findings[1]?.summary).toBe("lab has fencing enabled but no fence device.");
    const stopped = observeInventoryFindings(
      inventory({
        ...healthy,
        fenceDevices: [
          { id: "f1", agent: "stonith:fence_xvm", active: false, nodes: [] },
          { id: "f2", agent: "stonith:fence_ipmilan", active: true, nodes: ["node2"] },
        ],
      }),
    );
    expect(stopped.findings.map((f) => f.summary)).toEqual([
      "Fence device f1 (stonith:fence_xvm) not started.",
    ]);
    // Fencing disabled: the devices do not matter, the disabled fencing does.
    expect(
      kinds(
        observeInventoryFindings(
          inventory({ ...healthy, stonithEnabled: false, fenceDevices: [] }),
        ),
      ),
    ).toEqual([["fencing-disabled", "critical", null, null]]);
  });
});
