import { generateKeyPairSync } from "node:crypto";
import { type NodeCredentials, sealCredentials } from "@corral/core";
import { type RecordingSshd, startRecordingSshd } from "@corral/core/testing";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestServer, type TestServer } from "../../testing/test-server.ts";

const STORED_PASSWORD = "the-stored-node-password";
const { privateKey } = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs1", format: "pem" },
  publicKeyEncoding: { type: "pkcs1", format: "pem" },
});

/** A registered node whose stored credentials never reached a real host (nothing connects). */
async function registerNode(test: TestServer, clusterId: string, credentials: NodeCredentials) {
  const nodeId = `${clusterId}-node1`;
  await test.server.clusterServices.registry.registerCluster({ id: clusterId, name: clusterId }, [
    {
      id: nodeId,
      name: "node1",
      host: `192.0.2.${clusterId.length}`,
      port: 22,
      username: credentials.username,
      hostKey: {
        keyType: "ssh-ed25519",
        fingerprint: "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
      },
      sealed: sealCredentials(credentials, test.server.clusterServices.credentialKey, nodeId),
      agentVersion: null,
      versions: null,
      lastSeenAt: null,
    },
  ]);
  return nodeId;
}

describe("adding nodes with the same credentials as a registered node", () => {
  let test: TestServer;
  let hostile: RecordingSshd;

  beforeAll(async () => {
    test = await createTestServer();
  });
  afterAll(() => test?.dispose());
  beforeEach(async () => {
    hostile = await startRecordingSshd();
  });
  afterEach(() => hostile?.stop());

  const hostileNode = () => ({ host: "127.0.0.1", port: hostile.port, hostKey: hostile.hostKey });

  it("never offers the stored password to the named host, only the stored key", async () => {
    const nodeId = await registerNode(test, "with-key", {
      username: "root",
      privateKey,
      password: STORED_PASSWORD,
    });
    const operator = await test.caller((await test.signedIn("operator")).headers);
    await expect(
      operator.clusters.addNodes({
        clusterId: "with-key",
        nodes: [hostileNode()],
        sameCredentialsAs: nodeId,
      }),
    ).rejects.toThrow();
    expect(hostile.offered.map((auth) => auth.method)).toContain("publickey");
    expect(hostile.offered.filter((auth) => auth.method === "password")).toEqual([]);
    expect(JSON.stringify(hostile.offered)).not.toContain(STORED_PASSWORD);
  });

  it("refuses to reuse a stored password and asks for it, without contacting the host", async () => {
    const nodeId = await registerNode(test, "password-only", {
      username: "root",
      password: STORED_PASSWORD,
    });
    const operator = await test.caller((await test.signedIn("operator")).headers);
    await expect(
      operator.clusters.addNodes({
        clusterId: "password-only",
        nodes: [hostileNode()],
        sameCredentialsAs: nodeId,
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/password/) });
    expect(hostile.offered).toEqual([]);
    // Typed again by the operator, the password goes where they said.
    await expect(
      operator.clusters.addNodes({
        clusterId: "password-only",
        nodes: [hostileNode()],
        sameCredentialsAs: nodeId,
        password: "typed-by-the-operator",
      }),
    ).rejects.toThrow();
    expect(hostile.offered.map((auth) => auth.password)).toContain("typed-by-the-operator");
  });
});
