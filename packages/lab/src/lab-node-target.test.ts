import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { readLabInfo } from "./lab-info.ts";
import { labNodeTarget } from "./lab-node-target.ts";

const FIXTURE_DIR = new URL("fixtures/", import.meta.url).pathname;

describe("labNodeTarget", () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true });
    dir = undefined;
  });

  it("reads the node's key file and pins the host key lab.json recorded", async () => {
    const [node1] = (await readLabInfo({ CORRAL_LAB_DIR: FIXTURE_DIR })).nodes;
    if (!node1) throw new Error("fixture lists no node");
    dir = await mkdtemp(join(tmpdir(), "corral-lab-target-"));
    const keyPath = join(dir, "id_ed25519");
    await writeFile(keyPath, "-----BEGIN OPENSSH PRIVATE KEY-----\nkey\n");
    expect(await labNodeTarget({ ...node1, privateKeyPath: keyPath })).toEqual({
      id: "node1",
      host: node1.address,
      port: 22,
      username: "root",
      privateKey: "-----BEGIN OPENSSH PRIVATE KEY-----\nkey\n",
      hostKey: { keyType: node1.hostKeyType, fingerprint: node1.hostKeyFingerprint },
    });
  });

  it("fails naming the key file when it is missing", async () => {
    const [node1] = (await readLabInfo({ CORRAL_LAB_DIR: FIXTURE_DIR })).nodes;
    if (!node1) throw new Error("fixture lists no node");
    await expect(
      labNodeTarget({ ...node1, privateKeyPath: "/nonexistent/corral-lab-key" }),
    ).rejects.toThrow("/nonexistent/corral-lab-key");
  });
});
