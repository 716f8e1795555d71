import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";

// The lab cluster the e2e runs against: scripts/test.sh starts it and names it in CORRAL_LAB_*.

const labEnv = {
  CORRAL_LAB_NAME: process.env.CORRAL_LAB_NAME ?? "",
  CORRAL_LAB_SUBNET: process.env.CORRAL_LAB_SUBNET ?? "",
  CORRAL_LAB_DIR: process.env.CORRAL_LAB_DIR ?? "",
};
const labCli = path.resolve(import.meta.dirname, "../../packages/lab/bin/corral-lab");

/** What the specs read of the lab's lab.json contract (packages/lab/README.md). */
export interface LabNode {
  index: number;
  name: string;
  address: string;
  sshPort: number;
  privateKeyPath: string;
  hostKeyFingerprint: string;
}
export interface Lab {
  nodes: LabNode[];
  guests: { name: string; node: string; serialLog: string }[];
}

const labJson = labEnv.CORRAL_LAB_DIR ? path.join(labEnv.CORRAL_LAB_DIR, "lab.json") : "";
/** The lab, or null when none is up: the specs that need one skip themselves. */
export const lab: Lab | null =
  labJson && existsSync(labJson) ? (JSON.parse(readFileSync(labJson, "utf8")) as Lab) : null;
export const NEEDS_LAB = "needs a lab: CORRAL_LAB_DIR (scripts/test.sh starts one)";

/** `corral-lab ARGS...` on this lab; its stdout. */
export async function labRun(args: string[], timeoutMs: number): Promise<string> {
  const { stdout } = await promisify(execFile)("bash", [labCli, ...args], {
    env: { ...process.env, ...labEnv },
    timeout: timeoutMs,
  });
  return stdout;
}

/** A shell command on node N through the lab's own ssh, as an operator at a terminal would. */
export const onLabNode = (index: number, command: string, timeoutMs = 60_000) =>
  labRun(["ssh", String(index), command], timeoutMs);

/** Where libvirt runs the VM, asked on every node: the truth beside Pacemaker's view. */
export async function runningOn(vm: string): Promise<string[]> {
  const where: string[] = [];
  for (const node of lab?.nodes ?? []) {
    if ((await onLabNode(node.index, "virsh list --name")).split("\n").includes(vm))
      where.push(node.name);
  }
  return where;
}

/** The nodes whose libvirt still holds a persistent definition of the VM. */
export async function definedOn(vm: string): Promise<string[]> {
  const where: string[] = [];
  for (const node of lab?.nodes ?? []) {
    if (
      (await onLabNode(node.index, "virsh list --all --persistent --name")).split("\n").includes(vm)
    )
      where.push(node.name);
  }
  return where;
}

function guestLines(vm: string): RegExpMatchArray[] {
  const log = lab?.guests.find((guest) => guest.name === vm)?.serialLog ?? "";
  return [
    ...readFileSync(log, "utf8").matchAll(/corral-guest name=\S+ boot=([0-9a-f-]+) n=(\d+)/g),
  ];
}

/** The boots of a guest in its serial log: a live migration keeps one, a restart adds one. */
export function bootsOf(vm: string): string[] {
  return [...new Set(guestLines(vm).map((m) => m[1] ?? ""))];
}

/** The latest line the guest wrote (boot and counter); it writes one every second while alive. */
export function lastGuestLine(vm: string): string {
  return guestLines(vm).at(-1)?.[0] ?? "";
}

/**
 * Waits until the guest writes a new line: it runs in userspace, where `virsh shutdown` is
 * heard. A stop pressed while it boots is lost and waits for the stop timeout (90 s): a story
 * that stops a VM it just started waits for this first, as an operator's VM would long be up.
 */
export async function guestUp(vm: string, timeoutMs = 90_000): Promise<void> {
  const before = guestLines(vm).length;
  const deadline = Date.now() + timeoutMs;
  while (guestLines(vm).length === before) {
    if (Date.now() > deadline) throw new Error(`${vm} wrote nothing to its serial log`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Pacemaker's own record of the resource's failed operations (crm_mon, on node1). */
export async function failedOperations(resource: string): Promise<string[]> {
  const xml = await onLabNode(1, "crm_mon --one-shot --output-as=xml");
  return [...xml.matchAll(/<failure [^>]*op_key="([^"]+)"[^>]*node="([^"]+)"/g)]
    .filter((m) => m[1]?.startsWith(`${resource}_`))
    .map((m) => `${m[1]} on ${m[2]}`);
}

/**
 * node1 and node2 hold another key for node3 (node1's): ssh to node3 fails, as migrate_to
 * would, whatever else they trust for it (a line only removed can leave ssh another way in).
 */
export async function forgetNode3HostKey(): Promise<void> {
  for (const index of [1, 2]) {
    await onLabNode(
      index,
      "test -e /root/.ssh/known_hosts.e2e || cp /root/.ssh/known_hosts /root/.ssh/known_hosts.e2e; other=$(awk '$1 ~ /^node1,/ {print $2, $3}' /root/.ssh/known_hosts.e2e); ssh-keygen -R node3 >/dev/null 2>&1; sed -i '/^node3[ ,]/d' /root/.ssh/known_hosts; echo \"node3 $other\" >> /root/.ssh/known_hosts",
    );
  }
}

/** Undoes forgetNode3HostKey (a no-op when nothing was forgotten). */
export async function restoreHostKeys(): Promise<void> {
  for (const index of [1, 2]) {
    await onLabNode(
      index,
      "test -e /root/.ssh/known_hosts.e2e && mv /root/.ssh/known_hosts.e2e /root/.ssh/known_hosts || true",
    );
  }
}
