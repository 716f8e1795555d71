import { execFile } from "node:child_process";
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { NodeTarget } from "../ssh/node-target.ts";

/**
 * A lab instance for core's integration tests (core cannot depend on @corral/lab, which depends
 * on core, so this drives the lab's CLI and reads its lab.json contract). Each suite names its
 * own instance so suites of different helpers never collide; CORRAL_LAB_* override the names.
 */
export interface TestLab {
  nodes: NodeTarget[];
  /** Runs a shell command on a node as root (set-up and checks independent of Corral). */
  ssh(node: string, command: string): Promise<string>;
  /** Every resource and constraint gone, the guests restored (`corral-lab reset`). */
  reset(): Promise<void>;
  /** Brings the lab down unless CORRAL_LAB_KEEP=1. */
  down(): Promise<void>;
  /** Guest name -> serial log path on the host. */
  serialLogs: Record<string, string>;
  /**
   * Waits until the guest writes a new line to its serial log: it runs in userspace now, where
   * `virsh shutdown` is heard. A stop pressed while it still boots is lost, and the agent's
   * stop then waits for its whole timeout (90 s): tests that stop a VM they just started wait
   * for this first, as an operator's VM would long be up.
   */
  guestUp(name: string, timeoutMs?: number): Promise<void>;
}

const LAB_CLI = fileURLToPath(new URL("../../../lab/bin/corral-lab", import.meta.url));

export async function startTestLab(defaults: { name: string; subnet: string }): Promise<TestLab> {
  const name = process.env.CORRAL_LAB_NAME ?? defaults.name;
  const env = {
    CORRAL_LAB_NAME: name,
    CORRAL_LAB_SUBNET: process.env.CORRAL_LAB_SUBNET ?? defaults.subnet,
    CORRAL_LAB_DIR: process.env.CORRAL_LAB_DIR ?? `/var/lib/corral-lab/${name}`,
  };
  const lab = (...args: string[]) =>
    promisify(execFile)("bash", [LAB_CLI, ...args], {
      env: { ...process.env, ...env },
      timeout: 600_000,
      maxBuffer: 16 * 1024 * 1024,
    });
  await lab("up");
  const info = JSON.parse(await readFile(join(env.CORRAL_LAB_DIR, "lab.json"), "utf8")) as {
    nodes: {
      index: number;
      name: string;
      address: string;
      sshPort: number;
      user: string;
      privateKeyPath: string;
      hostKeyFingerprint: string;
      hostKeyType: string;
    }[];
    guests: { name: string; serialLog: string }[];
  };
  const nodes = await Promise.all(
    info.nodes.map(async (node) => ({
      id: node.name,
      host: node.address,
      port: node.sshPort,
      username: node.user,
      privateKey: await readFile(node.privateKeyPath, "utf8"),
      hostKey: { keyType: node.hostKeyType, fingerprint: node.hostKeyFingerprint },
    })),
  );
  const indexOf = (name: string) => {
    const node = info.nodes.find((candidate) => candidate.name === name);
    if (!node) throw new Error(`the lab has no node ${name}`);
    return String(node.index);
  };
  return {
    nodes,
    serialLogs: Object.fromEntries(info.guests.map((guest) => [guest.name, guest.serialLog])),
    ssh: async (node, command) => (await lab("ssh", indexOf(node), command)).stdout,
    reset: async () => {
      await lab("reset");
    },
    down: async () => {
      if (process.env.CORRAL_LAB_KEEP !== "1") await lab("down");
    },
    guestUp: async (name, timeoutMs = 90_000) => {
      const path = info.guests.find((guest) => guest.name === name)?.serialLog;
      if (!path) throw new Error(`the lab has no guest ${name}`);
      const from = (await stat(path)).size;
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        // Bytes after the size it had; the serial tty ends lines with \r\n.
        const written = (await readFile(path)).subarray(from).toString("utf8");
        if (/corral-guest name=\S+ boot=\S+ n=\d+\r?\n/.test(written)) return;
        await sleep(250);
      }
      // What each node's libvirt says of it, so a failure tells a paused guest from a stopped one.
      const states = await Promise.all(
        info.nodes.map(async (node) => {
          const state = await lab("ssh", String(node.index), `virsh domstate ${name} --reason`)
            .then(({ stdout }) => stdout.trim())
            .catch(() => "not defined");
          return `${node.name}: ${state}`;
        }),
      );
      throw new Error(
        `${name} wrote no new line to its serial log within ${timeoutMs} ms ` +
          `(log ${from} -> ${(await stat(path)).size} bytes; ${states.join("; ")})`,
      );
    },
  };
}
