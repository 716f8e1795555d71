import { readAgentBundle } from "@corral/agent";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureAgent } from "../agent/install-agent.ts";
import { parseAgentMetadata } from "../agent/parse-agent-metadata.ts";
import { readAgentMetadataXml } from "../agent/read-agent-metadata-xml.ts";
import type { NodeTarget } from "../ssh/node-target.ts";
import { SshPool } from "../ssh/ssh-pool.ts";
import { expectOk } from "../testing/expect-ok.ts";
import { startTestLab, type TestLab } from "../testing/test-lab.ts";
import { defaultResourceOptions } from "./build-resource-create-command.ts";
import { checkMigrationReadiness, LIVE_MIGRATION_PARAMS } from "./check-migration-readiness.ts";
import { checkMonitorScripts, checkStorage, listDomainStorage } from "./check-storage.ts";
import { createVirtualDomainResource } from "./create-virtual-domain-resource.ts";
import { distributeConfig } from "./distribute-config.ts";
import { dumpDomainConfig } from "./dump-domain-config.ts";
import { locateDomain } from "./locate-domain.ts";
import { preflightVm } from "./preflight-vm.ts";
import { disableAutostart, shutdownDomain } from "./prepare-domain.ts";
import { testStartStopOnNode } from "./test-start-stop-on-node.ts";

/** Each onboarding step against this suite's own lab instance, reset between scenarios. */

/** The lab guests print one line a second from their init: userspace is up. */
const GUEST_ALIVE = { kind: "console" as const, pattern: "^corral-guest .* n=1\\b" };

const pool = new SshPool({ log: { record: async () => {} } });
let lab: TestLab;
let nodes: NodeTarget[];
let node1: NodeTarget;

function spec(domain: string, uuid: string | null, jobId: string) {
  return {
    jobId,
    domain,
    uuid,
    config: `/etc/pacemaker/${domain}.xml`,
    startTimeoutS: 90,
    shutdownTimeoutS: 60,
    guestAlive: GUEST_ALIVE,
  };
}

async function dumpAndDistribute(domain: string) {
  const dumped = expectOk(
    await dumpDomainConfig(pool, node1, { domain, path: `/etc/pacemaker/${domain}.xml` }),
  );
  const results = await distributeConfig(pool, nodes.slice(1), dumped);
  for (const { result } of results) expect(expectOk(result).sha256).toBe(dumped.sha256);
  return dumped;
}

beforeAll(async () => {
  lab = await startTestLab({ name: "onb", subnet: "10.213.99.0/24" });
  nodes = lab.nodes;
  node1 = nodes[0] as NodeTarget;
  await lab.reset();
  const bundle = readAgentBundle();
  for (const node of nodes) expectOk(await ensureAgent(pool, node, bundle));
}, 600_000);

afterAll(async () => {
  pool.close();
  await lab?.down();
}, 300_000);

describe("onboarding web1 (shared storage, stopped)", () => {
  it("passes preflight, dumps, distributes, finds storage and migration ready", async () => {
    const preflight = expectOk(
      await preflightVm(pool, nodes, { domain: "web1", resourceName: "web1" }),
    );
    expect(preflight.sourceNode).toBe("node1");
    expect(preflight.checks.filter((c) => !c.ok)).toEqual([]);

    expect(
      await dumpDomainConfig(pool, node1, { domain: "web1", path: "/etc/libvirt/qemu/web1.xml" }),
    ).toMatchObject({
      ok: false,
      error: { code: "INVALID_INPUT", message: expect.stringContaining("libvirt") },
    });

    const dumped = await dumpAndDistribute("web1");
    const storage = await checkStorage(pool, nodes, listDomainStorage(dumped.xml).paths);
    expect(storage.problems).toEqual([]);
    expect(storage.readyNodes).toEqual(["node1", "node2", "node3"]);
    expect(storage.paths.map((p) => p.use)).toEqual(["kernel", "initrd", "disk vda"]);

    // The URI the agent builds from the wizard's proposal: libvirt over ssh, as root.
    const probes = expectOk(await checkMigrationReadiness(pool, nodes, LIVE_MIGRATION_PARAMS));
    expect(probes).toHaveLength(6);
    expect(probes.filter((p) => !p.ok)).toEqual([]);
    expect(probes[0]).toMatchObject({ from: "node1", to: "node2", uri: "qemu+ssh://node2/system" });
    // Without them the agent uses TLS (qemu://node2/system), which the lab, like most
    // clusters, has no certificates for: the exact failure Pacemaker would meet in migrate_to.
    const tls = expectOk(await checkMigrationReadiness(pool, nodes.slice(0, 2), {}));
    expect(tls[0]).toMatchObject({ uri: "qemu://node2/system", ok: false });
    const suffixed = expectOk(
      await checkMigrationReadiness(pool, nodes.slice(0, 2), {
        ...LIVE_MIGRATION_PARAMS,
        migration_network_suffix: "-mig",
      }),
    );
    expect(suffixed[0]).toMatchObject({ uri: "qemu+ssh://node2-mig/system", ok: false });
  });

  it("starts and stops it gracefully on each node in turn, keeping node1's definition", async () => {
    const { domain } = expectOk(
      await preflightVm(pool, nodes, { domain: "web1", resourceName: "web1" }),
    );
    for (const node of nodes) {
      const result = expectOk(
        await testStartStopOnNode(
          pool,
          node,
          nodes,
          spec("web1", domain.uuid, `it-web1-${node.id}-${Date.now()}`),
        ),
      );
      expect(result, result.log).toMatchObject({ state: "succeeded", stopMethod: "graceful" });
      expect(result.phases.map((p) => p.name)).toEqual([
        "start",
        "running",
        "guest-alive",
        "shutdown",
      ]);
    }
    const after = expectOk(await locateDomain(pool, nodes, { name: "web1" }));
    expect(after).toEqual([
      { node: "node1", domain: expect.objectContaining({ state: "shut off", persistent: true }) },
    ]);
  }, 400_000);

  it("creates the resource and waits until pacemaker reports it Started", async () => {
    const metadata = parseAgentMetadata(expectOk(await readAgentMetadataXml(pool, node1)).xml);
    const created = expectOk(
      await createVirtualDomainResource(pool, nodes, {
        name: "web1",
        configPath: "/etc/pacemaker/web1.xml",
        options: defaultResourceOptions(metadata),
        allowedNodes: nodes.map((node) => node.id),
        waitS: 90,
      }),
    );
    expect(nodes.map((n) => n.id)).toContain(created.startedOn);
    const preflight = expectOk(
      await preflightVm(pool, nodes, { domain: "web1", resourceName: "web1" }),
    );
    expect(preflight.checks.find((c) => c.id === "not-a-resource")).toMatchObject({ ok: false });

    // A resource name clashes with any id in the CIB, not only VirtualDomain resources'.
    const clashes: [string, string][] = [
      ["web1", "primitive"],
      ["cib-bootstrap-options", "cluster_property_set"],
    ];
    for (const [resourceName, owner] of clashes) {
      const clash = expectOk(await preflightVm(pool, nodes, { domain: "db1", resourceName }));
      expect(clash.checks.find((c) => c.id === "resource-name")).toMatchObject({
        ok: false,
        message: `${resourceName} is already the id of a ${owner} in the CIB: pick another resource name.`,
      });
    }

    const scripts = { ...defaultResourceOptions(metadata) };
    scripts.params = { ...scripts.params, monitor_scripts: "/bin/true /opt/missing-check" };
    const issues = await checkMonitorScripts(pool, nodes.slice(0, 2), scripts);
    expect(issues.map((i) => i.field)).toEqual([
      "params.monitor_scripts",
      "params.monitor_scripts",
    ]);
    expect(issues.map((i) => i.message).sort()).toEqual([
      expect.stringMatching(/^monitor script \/opt\/missing-check on node1: /),
      expect.stringMatching(/^monitor script \/opt\/missing-check on node2: /),
    ]);
  }, 200_000);
});

describe("the start/stop test's safety", () => {
  it("refuses a second test of the same VM on a node while one holds its lock", async () => {
    await lab.reset();
    await dumpAndDistribute("web1");
    const first = testStartStopOnNode(
      pool,
      nodes[1] as NodeTarget,
      nodes,
      spec("web1", null, `it-lock-a-${Date.now()}`),
    );
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const second = await testStartStopOnNode(
      pool,
      nodes[1] as NodeTarget,
      [],
      spec("web1", null, `it-lock-b-${Date.now()}`),
    );
    expect(second).toMatchObject({ ok: false, error: { code: "VM_BUSY" } });
    expect(expectOk(await first).state).toBe("succeeded");
  }, 300_000);

  it("refuses to start a VM that runs on another node", async () => {
    await lab.ssh("node1", "virsh start web1");
    const result = await testStartStopOnNode(
      pool,
      nodes[2] as NodeTarget,
      nodes,
      spec("web1", null, `it-run-${Date.now()}`),
    );
    expect(result).toMatchObject({
      ok: false,
      error: { code: "VM_RUNNING", context: { node: "node1" } },
    });
    await lab.ssh("node1", "virsh destroy web1");
  }, 120_000);

  it("destroys the VM when Corral's session drops mid-test and records it as aborted", async () => {
    const node2 = nodes[1] as NodeTarget;
    const test = testStartStopOnNode(
      pool,
      node2,
      nodes,
      spec("web1", null, `it-drop-${Date.now()}`),
    );
    let running = false;
    for (let i = 0; i < 60 && !running; i++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      const state = expectOk(
        await pool.run(node2, ["virsh", "domstate", "web1"], { okExitCodes: "any" }),
      );
      running = state.stdout.trim() === "running";
    }
    expect(running).toBe(true);
    pool.disconnect(node2);
    const outcome = expectOk(await test);
    expect(outcome).toMatchObject({
      state: "aborted",
      phases: expect.arrayContaining([expect.objectContaining({ name: "destroy", ok: true })]),
    });
    const everywhere = expectOk(await locateDomain(pool, nodes, { name: "web1" }));
    expect(everywhere.filter((s) => s.domain.state !== "shut off")).toEqual([]);
  }, 200_000);
});

describe("db1, app1 and local1", () => {
  it("db1 runs: preflight offers a shutdown, after which it passes", async () => {
    await lab.reset();
    const before = expectOk(await preflightVm(pool, nodes, { domain: "db1", resourceName: "db1" }));
    expect(before.checks.find((c) => c.id === "stopped")).toMatchObject({
      ok: false,
      nodes: ["node1"],
      fix: "shutdown",
    });
    const stopped = expectOk(
      await shutdownDomain(pool, node1, {
        domain: "db1",
        timeoutS: 60,
        destroyAfterTimeout: false,
      }),
    );
    expect(stopped.method).toBe("graceful");
    const after = expectOk(await preflightVm(pool, nodes, { domain: "db1", resourceName: "db1" }));
    expect(after.ok).toBe(true);
  }, 200_000);

  it("app1 has autostart on: preflight offers to turn it off, after which it passes", async () => {
    const before = expectOk(
      await preflightVm(pool, nodes, { domain: "app1", resourceName: "app1" }),
    );
    expect(before.checks.find((c) => c.id === "autostart-off")).toMatchObject({
      ok: false,
      nodes: ["node1"],
      fix: "disable-autostart",
    });
    expectOk(await disableAutostart(pool, node1, "app1"));
    expect(
      expectOk(await preflightVm(pool, nodes, { domain: "app1", resourceName: "app1" })).ok,
    ).toBe(true);
  });

  it("local1's disk exists on node1 only: storage fails on node2 and node3, flagged node-local", async () => {
    const dumped = await dumpAndDistribute("local1");
    const storage = await checkStorage(pool, nodes, listDomainStorage(dumped.xml).paths);
    expect(storage.readyNodes).toEqual(["node1"]);
    expect(storage.problems.map((p) => [p.node, p.path, p.problem])).toEqual([
      ["node2", "/var/lib/libvirt/images/local1.img", "does not exist"],
      ["node3", "/var/lib/libvirt/images/local1.img", "does not exist"],
    ]);
    expect(storage.paths.find((p) => p.use === "disk vda")?.nodeLocal).toBe(true);
    const limited = await checkStorage(pool, [node1], listDomainStorage(dumped.xml).paths);
    expect(limited.problems).toEqual([]);
  });
});
