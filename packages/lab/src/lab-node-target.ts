import { readFile } from "node:fs/promises";
import type { NodeTarget } from "@corral/core";
import type { LabNode } from "./lab-info.ts";

/** How Corral reaches a lab node: its key file read, its recorded host key pinned. */
export async function labNodeTarget(node: LabNode): Promise<NodeTarget> {
  return {
    id: node.name,
    host: node.address,
    port: node.sshPort,
    username: node.user,
    privateKey: await readFile(node.privateKeyPath, "utf8"),
    hostKey: { keyType: node.hostKeyType, fingerprint: node.hostKeyFingerprint },
  };
}
