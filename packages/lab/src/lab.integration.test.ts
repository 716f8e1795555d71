import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { onlineNodeNames, readClusterStatus, startedOn } from "./cluster-status.ts";
import { readGuestSerial } from "./guest-serial-log.ts";
import { type LabInfo, readLabInfo } from "./lab-info.ts";
import { pollUntil } from "./poll-until.ts";
import { runLab } from "./run-lab.ts";
import { labNode, runOnLabNode } from "./run-on-lab-node.ts";

// An instance of its own, so this suite never touches the lab that scripts/up.sh starts.
const env = { CORRAL_LAB_NAME: "labtest", CORRAL_LAB_SUBNET: "10.213.61.0/24" };

const sh = (command: string, args: string[]) => execFileSync(command, args, { encoding: "utf8" });

describe("corral-lab", () => {
  let info: LabInfo;

  beforeAll(async () => {
    if (process.getuid?.() !== 0) throw new Error("the lab's integration test must run as root");
    await runLab(["up"], { env });
    info = await readLabInfo(env);
  });

  afterAll(async () => {
    await runLab(["down"], { env });
  });

  const node = (name: string) => labNode(info, name);
  const web1Log = () => {
    const guest = info.guests.find((candidate) => candidate.name === "web1");
    if (!guest) throw new Error("lab.json lists no web1");
    return guest.serialLog;
  };
  const web1Location = async (viewer: string) =>
    startedOn(await readClusterStatus(info, node(viewer)), "web1");
  /** Waits until the guest has written a line after `after` (same or another boot). */
  const web1Advanced = (after: { bootId: string; counter: number } | null) =>
    pollUntil("web1 to write to its serial log", async () => {
      const state = await readGuestSerial(web1Log());
      if (!state) return undefined;
      return !after || state.bootId !== after.bootId || state.counter > after.counter
        ? state
        : undefined;
    });

  it("brings up three nodes that see each other online with quorum, over ssh", async () => {
    expect(info.nodes.map((n) => n.name)).toEqual(["node1", "node2", "node3"]);
    for (const n of info.nodes) {
      const status = await readClusterStatus(info, n);
      expect(status.quorate).toBe(true);
      expect(onlineNodeNames(status).sort()).toEqual(["node1", "node2", "node3"]);
      // The fingerprint in lab.json is the key the node's sshd really presents.
      const scanned = sh("bash", [
        "-c",
        `ssh-keyscan -t ed25519 ${n.address} 2>/dev/null | ssh-keygen -lf -`,
      ]);
      expect(scanned.split(" ")[1]).toBe(n.hostKeyFingerprint);
    }
    const guests = await runOnLabNode(info, node("node1"), "virsh list --all --name");
    expect(guests.split("\n").filter(Boolean).sort()).toEqual(["app1", "db1", "local1", "web1"]);
  });

  it("runs web1 as a VirtualDomain resource with allow-migrate", async () => {
    await runOnLabNode(
      info,
      node("node1"),
      `virsh dumpxml web1 > ${info.sharedStoragePath}/web1.xml && pcs resource create web1 ` +
        `ocf:heartbeat:VirtualDomain config=${info.sharedStoragePath}/web1.xml ` +
        "migration_transport=ssh meta allow-migrate=true --wait=60",
    );
    expect(await pollUntil("web1 Started", () => web1Location("node1"))).toBe("node1");
    await web1Advanced(null);
  });

  it("live-migrates web1 to each other node without a reboot", async () => {
    for (const target of ["node2", "node3"]) {
      const before = await web1Advanced(null);
      await runOnLabNode(info, node("node1"), `pcs resource move web1 ${target} --wait=90`);
      expect(
        await pollUntil(`web1 Started on ${target}`, async () =>
          (await web1Location("node1")) === target ? target : undefined,
        ),
      ).toBe(target);
      const after = await web1Advanced(before);
      expect(after.bootId).toBe(before.bootId);
      expect(after.counter).toBeGreaterThan(before.counter);
    }
    const state = await readGuestSerial(web1Log());
    expect(state?.boots).toHaveLength(1);
  });

  it("restarts web1 on a surviving node when its node loses power", async () => {
    const before = await web1Advanced(null);
    await runLab(["crash", "3"], { env });
    const survivor = await pollUntil(
      "web1 Started on a surviving node",
      async () => {
        const at = await web1Location("node1");
        return at === "node1" || at === "node2" ? at : undefined;
      },
      { timeoutMs: 90_000 },
    );
    expect(["node1", "node2"]).toContain(survivor);
    // A crash is a reboot: the guest comes back with a new boot id. The latest line may still be
    // one the old boot wrote just before the crash, so wait for the new boot's first line.
    const after = await pollUntil("web1 to write from a new boot", async () => {
      const state = await readGuestSerial(web1Log());
      return state && state.bootId !== before.bootId ? state : undefined;
    });
    expect(after.boots.map((boot) => boot.bootId)).toEqual([before.bootId, after.bootId]);
  });

  it("brings the crashed node back into the cluster", async () => {
    await runLab(["start-node", "3"], { env });
    const status = await readClusterStatus(info, node("node3"));
    expect(status.quorate).toBe(true);
    expect(onlineNodeNames(status).sort()).toEqual(["node1", "node2", "node3"]);
  });

  it("down leaves no namespace, link, mount, process or file behind", async () => {
    const initPids = info.nodes.map((n) =>
      Number(readFileSync(`${info.labDir}/nodes/${n.name}/init.pid`, "utf8")),
    );
    await runLab(["down"], { env });
    expect(sh("ip", ["netns", "list"])).not.toContain(`${info.name}-`);
    expect(sh("ip", ["-o", "link", "show"])).not.toContain(`${info.name}-`);
    const mounts = readFileSync("/proc/mounts", "utf8");
    expect(mounts).not.toContain(info.labDir);
    expect(mounts).not.toContain(`${info.name}-node`);
    for (const pid of initPids) expect(existsSync(`/proc/${pid}`)).toBe(false);
    const leftovers = sh("ps", ["-eo", "args="])
      .split("\n")
      .filter((args) => args.includes(info.labDir));
    expect(leftovers).toEqual([]);
    expect(existsSync(info.labDir)).toBe(false);
  });
});
