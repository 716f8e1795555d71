import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { labDirFor, labNodeTarget, readLabInfo } from "./lab-info.ts";

// Written by `corral-lab up` (default instance, 3 nodes).
const FIXTURE_DIR = new URL("fixtures/", import.meta.url).pathname;

describe("readLabInfo", () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true });
    dir = undefined;
  });

  it("reads the lab.json that up writes", async () => {
    const info = await readLabInfo({ CORRAL_LAB_DIR: FIXTURE_DIR });
    expect(info.nodes.map((node) => [node.name, node.user, node.sshPort])).toEqual([
      ["node1", "root", 22],
      ["node2", "root", 22],
      ["node3", "root", 22],
    ]);
    expect(info.nodes[0]?.hostKeyFingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(info.guests.map((guest) => [guest.name, guest.storage, guest.initialState])).toEqual([
      ["web1", "shared", "shut off"],
      ["db1", "shared", "running"],
      ["app1", "shared", "shut off"],
      ["local1", "local", "shut off"],
    ]);
  });

  it("says no lab is up when lab.json is missing", async () => {
    dir = await mkdtemp(join(tmpdir(), "lab-info-"));
    await expect(readLabInfo({ CORRAL_LAB_DIR: dir })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("rejects a lab.json that is not JSON", async () => {
    dir = await mkdtemp(join(tmpdir(), "lab-info-"));
    await writeFile(join(dir, "lab.json"), "{ torn");
    await expect(readLabInfo({ CORRAL_LAB_DIR: dir })).rejects.toMatchObject({
      code: "CONFIG_INVALID",
    });
  });

  it("rejects a lab.json that breaks the contract, naming the field", async () => {
    dir = await mkdtemp(join(tmpdir(), "lab-info-"));
    await writeFile(join(dir, "lab.json"), JSON.stringify({ name: "corral", nodes: [] }));
    await expect(readLabInfo({ CORRAL_LAB_DIR: dir })).rejects.toMatchObject({
      code: "CONFIG_INVALID",
      message: expect.stringContaining("nodes"),
    });
  });

  it("turns a node into a target: its key file read, the host key lab.json recorded pinned", async () => {
    const [node1] = (await readLabInfo({ CORRAL_LAB_DIR: FIXTURE_DIR })).nodes;
    if (!node1) throw new Error("fixture lists no node");
    dir = await mkdtemp(join(tmpdir(), "lab-info-"));
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
    await expect(labNodeTarget({ ...node1, privateKeyPath: join(dir, "missing") })).rejects.toThrow(
      join(dir, "missing"),
    );
  });

  it("resolves the instance directory like the CLI", () => {
    expect(labDirFor({})).toBe("/var/lib/corral-lab/corral");
    expect(labDirFor({ CORRAL_LAB_NAME: "labtest" })).toBe("/var/lib/corral-lab/labtest");
    expect(labDirFor({ CORRAL_LAB_NAME: "x", CORRAL_LAB_DIR: "/tmp/lab" })).toBe("/tmp/lab");
  });
});
