import type { NewNode } from "@corral/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, TEST_PROVIDERS, type TestDatabase } from "../testing/test-database.ts";
import { ClusterRepository } from "./cluster-repository.ts";

const node = (name: string, port: number): NewNode => ({
  id: `n-${name}-${port}`,
  name,
  host: "192.0.2.10",
  port,
  username: "root",
  hostKey: { keyType: "ssh-ed25519", fingerprint: `SHA256:${name}${port}` },
  sealed: { privateKey: "v1.sealed.key", passphrase: null, password: null },
  agentVersion: "0123456789abcdef",
  versions: {
    pacemaker: "2.1.5",
    corosync: "3.1.7",
    pcs: "0.11.5",
    libvirt: "9.0.0",
    qemu: "7.2.19",
    resourceAgents: "1:4.12.0-2",
  },
  lastSeenAt: new Date("2026-01-01T00:00:00Z"),
});

describe.each(TEST_PROVIDERS)("cluster repository on %s", (provider) => {
  let test: TestDatabase;
  let clusters: ClusterRepository;

  beforeAll(async () => {
    test = await createTestDatabase(provider);
    clusters = new ClusterRepository(test.database.client);
  });
  afterAll(() => test?.dispose());

  it("registers a cluster with its nodes and reads them back as plain values", async () => {
    const cluster = await clusters.registerCluster({ id: "c1", name: "lab" }, [
      node("node2", 22),
      node("node1", 22_01),
    ]);
    expect(cluster.name).toBe("lab");
    expect(cluster.nodes.map((n) => n.name)).toEqual(["node1", "node2"]);
    expect(cluster.nodes[0]).toMatchObject({
      clusterId: "c1",
      hostKey: { keyType: "ssh-ed25519", fingerprint: "SHA256:node12201" },
      presentedHostKey: null,
      sealed: { privateKey: "v1.sealed.key", passphrase: null, password: null },
      versions: { pacemaker: "2.1.5" },
      lastError: null,
    });
    expect(await clusters.findClusterByName("lab")).toEqual(cluster);
    expect((await clusters.findNodeByEndpoint("192.0.2.10", 22))?.name).toBe("node2");
  });

  it("registers nothing when one node of the batch conflicts", async () => {
    await expect(clusters.addNodes("c1", [node("node3", 23), node("node4", 22)])).rejects.toThrow();
    expect((await clusters.findCluster("c1"))?.nodes.map((n) => n.name)).toEqual([
      "node1",
      "node2",
    ]);
    await expect(
      clusters.registerCluster({ id: "c2", name: "other" }, [node("x", 22)]),
    ).rejects.toThrow();
    expect(await clusters.findCluster("c2")).toBeNull();
  });

  it("keeps the last error with a presented host key until the node is seen again", async () => {
    const id = "n-node2-22";
    await clusters.updateNodeHealth(id, {
      error: { code: "HOST_KEY_MISMATCH", message: "changed" },
      presentedHostKey: { keyType: "ssh-ed25519", fingerprint: "SHA256:new" },
    });
    expect(await clusters.findNode(id)).toMatchObject({
      lastError: { code: "HOST_KEY_MISMATCH", message: "changed" },
      presentedHostKey: { fingerprint: "SHA256:new" },
      hostKey: { fingerprint: "SHA256:node222" },
    });
    await clusters.replaceHostKey(id, { keyType: "ssh-ed25519", fingerprint: "SHA256:new" });
    const seen = new Date("2026-02-01T00:00:00Z");
    await clusters.updateNodeHealth(id, { seen, agentVersion: "fedcba9876543210" });
    expect(await clusters.findNode(id)).toMatchObject({
      lastError: null,
      presentedHostKey: null,
      hostKey: { fingerprint: "SHA256:new" },
      agentVersion: "fedcba9876543210",
      lastSeenAt: seen,
    });
  });

  it("removes a node, then the cluster with the rest of its nodes", async () => {
    await clusters.removeNode("n-node2-22");
    expect((await clusters.findCluster("c1"))?.nodes.map((n) => n.name)).toEqual(["node1"]);
    await clusters.removeCluster("c1");
    expect(await clusters.listClusters()).toEqual([]);
    expect(await clusters.findNode("n-node1-2201")).toBeNull();
  });
});
