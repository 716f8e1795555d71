import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { readAgentBundle } from "@corral/agent";
import {
  applyInventoryDelta,
  ensureAgent,
  type Inventory,
  type InventoryFeedMessage,
  openNodeTarget,
  probeHostKey,
} from "@corral/core";
import { type LabInfo, pollUntil, readLabInfo, runLab, runOnLabNode } from "@corral/lab";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestServer, type TestServer } from "../../testing/test-server.ts";

/**
 * Clusters and nodes against a real lab (own instance, so it never collides with another
 * suite's): registration with every bad input refused, the inventory against virsh and
 * crm_mon, agent install and upgrade, live changes, and a replaced host key.
 */
const LAB_ENV = {
  CORRAL_LAB_NAME: process.env.CORRAL_LAB_NAME ?? "nodes",
  CORRAL_LAB_SUBNET: process.env.CORRAL_LAB_SUBNET ?? "10.213.88.0/24",
  CORRAL_LAB_DIR: process.env.CORRAL_LAB_DIR ?? "/var/lib/corral-lab/nodes",
};

let lab: LabInfo;
let test: TestServer;
let privateKey: string;
let operator: Headers;
let admin: Headers;
let scratch: string;

const labNode = (name: string) => {
  const node = lab.nodes.find((candidate) => candidate.name === name);
  if (!node) throw new Error(`no lab node ${name}`);
  return node;
};
const onNode = (name: string, command: string) => runOnLabNode(lab, labNode(name), command);
const access = (name: string, overrides: Record<string, unknown> = {}) => {
  const node = labNode(name);
  return {
    host: node.address,
    port: node.sshPort,
    username: "root",
    privateKey,
    hostKey: { keyType: node.hostKeyType, fingerprint: node.hostKeyFingerprint },
    ...overrides,
  };
};
const as = async (headers: Headers) => test.caller(headers);
const appCode = (error: unknown) =>
  error instanceof TRPCError ? (error.cause as { code?: string } | undefined)?.code : undefined;
async function refusal(call: Promise<unknown>) {
  try {
    await call;
  } catch (error) {
    return { code: appCode(error), message: (error as Error).message };
  }
  throw new Error("expected the call to be refused");
}
async function inventoryWhen(what: string, check: (inventory: Inventory) => boolean) {
  return pollUntil(
    what,
    async () => {
      const [inventory] = await (await as(operator)).clusters.list();
      return inventory && check(inventory) ? inventory : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 200 },
  );
}
const stopPacemaker = (name: string) =>
  onNode(name, "pacemakerd --shutdown; while pidof pacemakerd >/dev/null; do sleep 0.1; done");
const startPacemaker = (name: string) =>
  onNode(name, "setsid /usr/sbin/pacemakerd </dev/null >/dev/null 2>&1 &");

beforeAll(async () => {
  await runLab(["up"], { env: LAB_ENV, timeoutMs: 600_000 });
  lab = await readLabInfo(LAB_ENV);
  privateKey = await readFile(labNode("node1").privateKeyPath, "utf8");
  scratch = await mkdtemp(path.join(os.tmpdir(), "corral-clusters-test-"));
  test = await createTestServer("sqlite");
  operator = (await test.signedIn("operator")).headers;
  admin = (await test.signedIn("admin")).headers;
}, 600_000);

afterAll(async () => {
  await test?.dispose();
  if (scratch) await rm(scratch, { recursive: true, force: true });
  if (process.env.CORRAL_LAB_KEEP !== "1") await runLab(["down"], { env: LAB_ENV });
}, 300_000);

describe("registering the lab cluster", () => {
  it("refuses every bad input with a specific error and registers nothing", async () => {
    const api = await as(operator);
    const node1 = labNode("node1");

    const unreachable = await refusal(
      api.clusters.probeHostKey({ host: lab.hostAddress.replace(/\d+$/, "250"), port: 22 }),
    );
    expect(unreachable.code).toBe("NODE_UNREACHABLE");
    const wrongPort = await refusal(api.clusters.probeHostKey({ host: node1.address, port: 2 }));
    expect(wrongPort).toMatchObject({ code: "NODE_UNREACHABLE" });
    expect(wrongPort.message).toMatch(/No SSH server presented a host key/);

    const wrongPin = await refusal(
      api.clusters.add({
        nodes: [access("node1", { hostKey: access("node2").hostKey })],
      }),
    );
    expect(wrongPin.code).toBe("HOST_KEY_MISMATCH");
    expect(wrongPin.message).toContain(node1.hostKeyFingerprint);

    const strangerKey = path.join(scratch, "stranger");
    await promisify(execFile)("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", strangerKey]);
    const refusedAuth = await refusal(
      api.clusters.add({
        nodes: [access("node1", { privateKey: await readFile(strangerKey, "utf8") })],
      }),
    );
    expect(refusedAuth.code).toBe("AUTH_FAILED");

    // A user that may log in but not use sudo without a password.
    await onNode(
      "node1",
      [
        "useradd -m -p '*' corraltest",
        "install -d -m 700 -o corraltest ~corraltest/.ssh",
        "install -m 600 -o corraltest /root/.ssh/authorized_keys ~corraltest/.ssh/authorized_keys",
        "cp -p /etc/ssh/sshd_config /etc/ssh/sshd_config.orig",
        "printf 'Match User corraltest\\n  AuthorizedKeysFile .ssh/authorized_keys\\n' >> /etc/ssh/sshd_config",
        "kill -HUP $(cat /run/sshd.pid)",
      ].join(" && "),
    );
    try {
      const noSudo = await refusal(
        api.clusters.add({ nodes: [access("node1", { username: "corraltest" })] }),
      );
      expect(noSudo.code).toBe("SUDO_DENIED");
    } finally {
      await onNode(
        "node1",
        "mv /etc/ssh/sshd_config.orig /etc/ssh/sshd_config && kill -HUP $(cat /run/sshd.pid) && userdel -r corraltest 2>/dev/null; true",
      );
    }

    // Agent upload failing: the agent's directory is on a read-only file system.
    await onNode(
      "node1",
      "mkdir -p /var/lib/corral-agent && mount -t tmpfs -o ro tmpfs /var/lib/corral-agent",
    );
    const readOnly = await refusal(api.clusters.add({ nodes: [access("node1")] }));
    await onNode("node1", "umount /var/lib/corral-agent");
    expect(readOnly.code).toBe("AGENT_INSTALL_FAILED");
    expect(readOnly.message).toMatch(/read-only file system/i);

    // A host where Pacemaker does not run.
    await stopPacemaker("node3");
    const notPacemaker = await refusal(api.clusters.add({ nodes: [access("node3")] }));
    await startPacemaker("node3");
    expect(notPacemaker.code).toBe("NOT_PACEMAKER_NODE");

    expect(await api.clusters.list()).toEqual([]);
    // Every refusal is in the command log, as a failed action.
    const { entries } = await api.commandLog.list({ kind: "action", result: "failed", limit: 50 });
    expect(entries.filter((entry) => entry.action === "cluster.add")).toHaveLength(5);
    expect(JSON.stringify(entries)).not.toContain("PRIVATE KEY");
  });

  it("adds the cluster by one node, then the members it offers with the same credentials", async () => {
    const api = await as(operator);
    expect(await api.clusters.probeHostKey({ host: labNode("node1").address, port: 22 })).toEqual(
      access("node1").hostKey,
    );
    const added = await api.clusters.add({ nodes: [access("node1")] });
    expect(added).toMatchObject({ added: ["node1"], otherMembers: ["node2", "node3"] });

    const [cluster] = await api.clusters.list();
    const node1Id = cluster?.nodes[0]?.id as string;
    const nodes = await Promise.all(
      added.otherMembers.map(async (name) => ({
        host: labNode(name).address,
        port: 22,
        hostKey: await api.clusters.probeHostKey({ host: labNode(name).address, port: 22 }),
      })),
    );
    const more = await api.clusters.addNodes({
      clusterId: added.clusterId,
      nodes,
      sameCredentialsAs: node1Id,
    });
    expect(more).toMatchObject({ added: ["node2", "node3"], otherMembers: [] });

    // A node of another cluster is refused: here the registered name no longer matches.
    await test.server.database.client.clusterNode.deleteMany({ where: { name: "node3" } });
    await test.server.database.client.cluster.update({
      where: { id: added.clusterId },
      data: { name: "another-cluster" },
    });
    const foreign = await refusal(
      api.clusters.addNodes({
        clusterId: added.clusterId,
        nodes: [nodes[1] as (typeof nodes)[number]],
        sameCredentialsAs: node1Id,
      }),
    );
    expect(foreign.code).toBe("FOREIGN_CLUSTER");
    await test.server.database.client.cluster.update({
      where: { id: added.clusterId },
      data: { name: added.clusterName },
    });
    await api.clusters.addNodes({
      clusterId: added.clusterId,
      nodes: [nodes[1] as (typeof nodes)[number]],
      sameCredentialsAs: node1Id,
    });
    await test.server.clusterMonitor.reload(added.clusterId);

    const stored = await test.server.database.client.clusterNode.findMany();
    expect(stored).toHaveLength(3);
    for (const node of stored) expect(node.sealedPrivateKey).not.toContain("PRIVATE KEY");
    expect(JSON.stringify(await api.clusters.list())).not.toMatch(/sealed|PRIVATE KEY/);
  });

  it("shows the inventory that virsh and crm_mon show", async () => {
    const inventory = await inventoryWhen(
      "three nodes online and domains listed",
      (inventory) =>
        inventory.nodes.every((node) => node.state === "online") &&
        inventory.vms.some((vm) => vm.name === "db1"),
    );
    expect(inventory.summary?.quorate).toBe(true);
    const bundle = readAgentBundle();
    for (const node of inventory.nodes) {
      expect(node).toMatchObject({ agentVersion: bundle.id, error: null });
      expect(node.versions?.pacemaker).toMatch(/^2\./);
      const listed = (await onNode(node.name, "virsh list --all --name"))
        .split("\n")
        .filter(Boolean);
      const here = inventory.vms.filter((vm) => vm.placements.some((p) => p.node === node.name));
      expect(here.map((vm) => vm.name).sort()).toEqual(listed.sort());
      for (const vm of here) {
        const state = (await onNode(node.name, `virsh domstate ${vm.name}`)).trim();
        expect(vm.placements.find((p) => p.node === node.name)?.state).toBe(state);
      }
    }
    const crmMon = await onNode("node1", "crm_mon --output-as=xml");
    expect(crmMon).toContain(`name="${inventory.summary?.dc}"`);
    expect(inventory.vms.every((vm) => vm.resource === null)).toBe(true);
  });

  it("marks a VirtualDomain resource's VM as managed, where crm_mon says it runs", async () => {
    // The resource id differs from the domain name: Corral maps them through the config file.
    await onNode(
      "node1",
      `virsh dumpxml web1 > ${lab.sharedStoragePath}/web1.xml && pcs resource create vm-web1 ` +
        `ocf:heartbeat:VirtualDomain config=${lab.sharedStoragePath}/web1.xml --wait=60`,
    );
    try {
      const inventory = await inventoryWhen("web1 managed and running", (inventory) => {
        const web1 = inventory.vms.find((vm) => vm.name === "web1");
        return web1?.resource?.role === "Started" && web1.runningOn.length === 1;
      });
      const web1 = inventory.vms.find((vm) => vm.name === "web1");
      // The lab's resource defaults (as pcs cluster setup writes them) keep it where it runs.
      expect(web1?.resource).toMatchObject({ id: "vm-web1", stickiness: "1", problem: null });
      expect(web1?.runningOn).toEqual(web1?.resource?.nodes);
      const running = (await onNode(web1?.runningOn[0] as string, "virsh domstate web1")).trim();
      expect(running).toBe("running");
      expect(inventory.vms.filter((vm) => vm.resource === null).map((vm) => vm.name)).toEqual([
        "app1",
        "db1",
        "local1",
      ]);
    } finally {
      await runLab(["reset"], { env: LAB_ENV, timeoutMs: 300_000 });
    }
  });

  it("installs the agent per version and upgrades it when Corral's bundle changes", async () => {
    const bundle = readAgentBundle();
    for (const node of lab.nodes) {
      expect((await onNode(node.name, "readlink /var/lib/corral-agent/current")).trim()).toBe(
        bundle.id,
      );
    }
    const { pool, registry, credentialKey } = test.server.clusterServices;
    const stored = await registry.findNodeByEndpoint(labNode("node2").address, 22);
    const target = openNodeTarget(stored as NonNullable<typeof stored>, credentialKey);
    const content = Buffer.concat([bundle.content, Buffer.from("\n# next release\n")]);
    const { createHash } = await import("node:crypto");
    const sha256 = createHash("sha256").update(content).digest("hex");
    const next = { content, sha256, id: sha256.slice(0, 16) };
    const upgraded = await ensureAgent(pool, target, next);
    expect(upgraded).toMatchObject({ ok: true, value: { changed: true, id: next.id } });
    expect((await onNode("node2", "readlink /var/lib/corral-agent/current")).trim()).toBe(next.id);
    expect(await ensureAgent(pool, target, next)).toMatchObject({ value: { changed: false } });
    expect(await ensureAgent(pool, target, bundle)).toMatchObject({ value: { changed: true } });
  });

  it("shows a stopped Pacemaker on the node's card without anyone asking", async () => {
    const stream = (await as(operator)).clusters.live();
    const iterator = (await stream)[Symbol.asyncIterator]();
    await stopPacemaker("node3");
    const stoppedAt = Date.now();
    let seenAfterMs: number | undefined;
    let held: Inventory | undefined;
    while (seenAfterMs === undefined) {
      const { value } = await iterator.next();
      for (const message of JSON.parse(value as string) as InventoryFeedMessage[]) {
        if (message.kind === "snapshot") held = message.inventory;
        if (message.kind === "delta" && held) held = applyInventoryDelta(held, message.delta);
      }
      const node3 = held?.nodes.find((node) => node.name === "node3");
      if (node3?.state === "pacemaker-stopped") seenAfterMs = Date.now() - stoppedAt;
    }
    await iterator.return?.(undefined);
    await startPacemaker("node3");
    expect(seenAfterMs).toBeLessThan(10_000);
    await inventoryWhen("node3 back online", (inventory) =>
      inventory.nodes.every((node) => node.state === "online"),
    );
  });

  it("refuses a node whose host key was replaced, until an admin pins the new key", async () => {
    const keyFile = "/etc/ssh/ssh_host_ed25519_key";
    await onNode(
      "node2",
      `cp -p ${keyFile} ${keyFile}.orig && cp -p ${keyFile}.pub ${keyFile}.pub.orig && rm ${keyFile} && ssh-keygen -q -t ed25519 -N '' -f ${keyFile} && kill -HUP $(cat /run/sshd.pid)`,
    );
    const node2Endpoint = { host: labNode("node2").address, port: 22 };
    try {
      // The pooled connection predates the change: drop it, as a node reboot would.
      test.server.clusterServices.pool.disconnect(node2Endpoint);
      const changed = await inventoryWhen(
        "node2 refused for its new host key",
        (inventory) =>
          inventory.nodes.find((node) => node.name === "node2")?.presentedHostKey !== null &&
          inventory.nodes.find((node) => node.name === "node2")?.error?.code ===
            "HOST_KEY_MISMATCH",
      );
      const node2 = changed.nodes.find((node) => node.name === "node2");
      expect(node2?.state).toBe("unreachable");
      expect(node2?.hostKey.fingerprint).toBe(labNode("node2").hostKeyFingerprint);
      const presented = node2?.presentedHostKey as NonNullable<typeof node2>["hostKey"];
      expect(presented.fingerprint).not.toBe(labNode("node2").hostKeyFingerprint);

      const input = { nodeId: node2?.id as string, hostKey: presented };
      expect(await refusal((await as(operator)).nodes.replaceHostKey(input))).toMatchObject({
        code: "FORBIDDEN",
      });
      expect(await (await as(admin)).nodes.replaceHostKey(input)).toMatchObject({
        nodeName: "node2",
        pinned: presented.fingerprint,
      });
      await inventoryWhen("node2 online with its new key", (inventory) =>
        inventory.nodes.some((node) => node.name === "node2" && node.state === "online"),
      );
    } finally {
      // The lab's own ssh refuses the new key (strict known_hosts): restore through Corral,
      // pinned to the key the node presents now.
      const { pool, registry, credentialKey } = test.server.clusterServices;
      const stored = await registry.findNodeByEndpoint(labNode("node2").address, 22);
      const presented = await probeHostKey(labNode("node2").address, 22);
      expect({ stored: Boolean(stored), presented: presented.ok }).toEqual({
        stored: true,
        presented: true,
      });
      if (stored && presented.ok) {
        const target = { ...openNodeTarget(stored, credentialKey), hostKey: presented.value };
        const restored = await pool.run(target, [
          "sh",
          "-c",
          `mv ${keyFile}.orig ${keyFile} && mv ${keyFile}.pub.orig ${keyFile}.pub && kill -HUP $(cat /run/sshd.pid)`,
        ]);
        expect(restored.ok).toBe(true);
      }
      pool.disconnect(node2Endpoint);
    }
  });

  it("lets only an admin forget a node, then the cluster, leaving the nodes untouched", async () => {
    const [cluster] = await (await as(operator)).clusters.list();
    const node3 = cluster?.nodes.find((node) => node.name === "node3");
    expect(node3).toBeDefined();
    const input = { nodeId: node3?.id as string };
    expect(await refusal((await as(operator)).nodes.remove(input))).toMatchObject({
      code: "FORBIDDEN",
    });
    await (await as(admin)).nodes.remove(input);
    const [after] = await (await as(operator)).clusters.list();
    expect(after?.nodes.map((node) => node.name)).toEqual(["node1", "node2"]);

    await (await as(admin)).clusters.remove({ clusterId: cluster?.clusterId as string });
    expect(await (await as(operator)).clusters.list()).toEqual([]);
    expect(await test.server.database.client.clusterNode.count()).toBe(0);
    // Corral only forgot them: the cluster runs on.
    expect(await onNode("node3", "crm_node -l | wc -l")).toMatch(/^3/);
  });
});
