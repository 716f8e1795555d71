import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";

// The lab cluster the e2e runs against: scripts/test.sh starts it and names it in CORRAL_LAB_*.

export const labEnv = {
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
