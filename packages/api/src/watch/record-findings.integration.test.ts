import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { type FakeCluster, startFakeCluster } from "@corral/core/testing/fake-cluster";
import { VmLockRepository } from "@corral/db";
import {
  type SmtpSink,
  startSmtpSink,
  startWebhookReceiver,
  type WebhookReceiver,
} from "@corral/lab/receivers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, notifySinks, registerNodes } from "../testing/notification-receivers.ts";
import { scrapeMetrics } from "../testing/scrape-metrics.ts";
import { createTestServer, type TestServer } from "../testing/test-server.ts";

// The whole chain on fake nodes (real sshd, the real agent, Pacemaker's crm_mon on a generated
// CIB): the server's ClusterMonitor publishes an inventory, recordFindings opens and resolves
// the findings, the NotificationService sends them to a real HTTP receiver and a real SMTP
// server, and /metrics shows the cluster, its nodes and VMs. The fake CIB has
// stonith-enabled=false: fencing-disabled is open from the first inventory.
const SECRET = "fake-cluster-hook-secret";

describe("findings from the live inventory, end to end", () => {
  let dir: string;
  let cluster: FakeCluster;
  let test: TestServer;
  let hook: WebhookReceiver;
  let smtp: SmtpSink;
  let token: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "corral-findings-"));
    [cluster, test, hook, smtp] = await Promise.all([
      startFakeCluster({ dir, nodes: 2, vms: 2, firstPort: 24_520 }),
      createTestServer("sqlite"),
      startWebhookReceiver(SECRET),
      startSmtpSink(),
    ]);
    const admin = await test.caller((await test.signedIn("admin")).headers);
    await notifySinks(
      admin,
      { hook, smtp, secret: SECRET },
      { name: "VMs running twice", kinds: ["double-run"] },
    );
    token = (await admin.apiTokens.create({ name: "prometheus" })).token;
    await registerNodes(
      test.server,
      { id: "c1", name: cluster.name },
      cluster.nodes.map((node) => ({
        name: node.name,
        host: "127.0.0.1",
        port: node.sshd.port,
        username: "root",
        privateKey: node.sshd.privateKey,
        hostKey: node.sshd.hostKey,
      })),
    );
    await eventually("every node online and every VM read", async () => {
      const inventory = await test.server.clusterMonitor.inventory("c1");
      return Boolean(
        inventory?.nodes.every((node) => node.state === "online") &&
          inventory.vms.length === cluster.vms.length &&
          inventory.vms.every((vm) => vm.resource?.configCheck),
      );
    });
  }, 120_000);

  afterAll(async () => {
    await test?.dispose();
    await cluster?.stop();
    await hook?.close();
    await smtp?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const openKinds = async () =>
    (await test.server.findings.list({ clusterId: "c1", state: "open", limit: 50 })).map(
      (finding) => finding.kind,
    );

  it("opens fencing-disabled from the CIB, and /metrics shows the cluster, its nodes and VMs", async () => {
    await eventually("fencing-disabled open", async () =>
      (await openKinds()).includes("fencing-disabled"),
    );
    const scrape = await scrapeMetrics(test.server, token);
    const value = (name: string, labels: Record<string, string>) =>
      scrape.samples(name, labels).map((sample) => sample.value);
    const lab = { cluster: cluster.name };
    expect(value("corral_cluster_up", lab)).toEqual(["1"]);
    expect(value("corral_cluster_fencing_enabled", lab)).toEqual(["0"]);
    expect(value("corral_cluster_quorate", lab)).toEqual(["1"]);
    expect(value("corral_node_state", { ...lab, node: "node1" })).toEqual(["1"]);
    expect(scrape.samples("corral_node_state", { ...lab, node: "node1" })[0]?.labels?.state).toBe(
      "online",
    );
    const [vm1, vm2] = cluster.vms.map((vm) => vm.name);
    for (const vm of [vm1, vm2]) {
      expect(value("corral_vm_managed", { ...lab, vm: vm ?? "" })).toEqual(["1"]);
      expect(value("corral_vm_running_nodes", { ...lab, vm: vm ?? "" })).toEqual(["1"]);
      expect(value("corral_vm_resource_role", { ...lab, vm: vm ?? "", role: "Started" })).toEqual([
        "1",
      ]);
    }
    expect(
      value("corral_findings_open", { ...lab, kind: "fencing-disabled", severity: "critical" }),
    ).toEqual(["1"]);
    // Not a kind the rule sends.
    expect(hook.received).toEqual([]);
    expect(smtp.received).toEqual([]);
  });

  it("a VM started beside Pacemaker's copy sends one webhook and one email, and one each once it is gone", async () => {
    const [first] = cluster.vms;
    if (!first?.node) throw new Error("the fake cluster runs its first VM");
    const other = cluster.nodes.find((node) => node.name !== first.node)?.name ?? "";
    const running = path.join(dir, "nodes", other, "running");
    const before = await readFile(running, "utf8");
    await writeFile(running, `${before}${first.name}\n`);

    await eventually("the double run's webhook and email", () => {
      return hook.received.length === 1 && smtp.received.length === 1;
    });
    expect(await openKinds()).toContain("double-run");
    expect(hook.received[0]?.signatureValid).toBe(true);
    expect(hook.received[0]?.json).toMatchObject({
      event: "finding.opened",
      clusterName: cluster.name,
      finding: { kind: "double-run", vm: first.name, severity: "critical" },
    });
    expect(smtp.received[0]?.raw).toContain(`double-run on ${cluster.name} / ${first.name}`);

    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(hook.received).toHaveLength(1);
    expect(smtp.received).toHaveLength(1);

    await writeFile(running, before);
    await eventually("the resolution's webhook and email", () => {
      return hook.received.length === 2 && smtp.received.length === 2;
    });
    expect(hook.received[1]?.json).toMatchObject({
      event: "finding.resolved",
      finding: { kind: "double-run", vm: first.name },
    });
    expect(await openKinds()).not.toContain("double-run");
    const log = await test.server.commandLog.repository.list({ vm: first.name }, { limit: 20 });
    expect(log.entries.map((entry) => entry.action)).toEqual(
      expect.arrayContaining(["finding.opened", "finding.resolved"]),
    );
  });

  it("a VM a Corral operation holds raises nothing while held; what the operation left opens once the hold ends", async () => {
    const second = cluster.vms[1];
    if (!second?.node) throw new Error("the fake cluster runs its second VM");
    const locks = new VmLockRepository(test.server.database.client);
    // As a start/stop test holds it: Pacemaker stopped it, and it runs outside Pacemaker.
    const { lock } = await locks.acquire({
      clusterId: "c1",
      vm: second.name,
      holderId: null,
      holderName: "a re-test",
      operation: "vm.retest",
    });
    await cluster.setVmRunning(second.name, null);
    const running = path.join(dir, "nodes", "node1", "running");
    const before = await readFile(running, "utf8");
    await writeFile(running, `${before}${second.name}\n`);
    await eventually("the inventory shows it outside Pacemaker", async () => {
      const inventory = await test.server.clusterMonitor.inventory("c1");
      const vm = inventory?.vms.find((each) => each.name === second.name);
      return Boolean(vm?.alarms.some((alarm) => alarm.kind === "outside-pacemaker"));
    });
    // Longer than the locks are read: still held, so still nothing.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(await openKinds()).not.toContain("running-outside-pacemaker");

    await locks.release(lock);
    await eventually("running-outside-pacemaker open once the hold ended", async () =>
      (await openKinds()).includes("running-outside-pacemaker"),
    );
    await writeFile(running, before);
    await cluster.setVmRunning(second.name, second.node);
    await eventually(
      "resolved once it runs where Pacemaker says",
      async () => !(await openKinds()).includes("running-outside-pacemaker"),
    );
  });
});
