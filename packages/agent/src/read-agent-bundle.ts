import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The agent as Corral ships it: installing compares nodes against this content hash. */
export interface AgentBundle {
  content: Buffer;
  sha256: string;
  /** The version directory name on the node: the first 16 hex digits of the SHA-256. */
  id: string;
}

// Not `new URL("../corral-agent", import.meta.url)`: bundlers (Turbopack in apps/web) turn that
// into a static asset URL; the server needs the file itself.
export const AGENT_SOURCE_PATH = join(
  dirname(fileURLToPath(import.meta.url)),
  "..",
  "corral-agent",
);

export function readAgentBundle(): AgentBundle {
  const content = readFileSync(AGENT_SOURCE_PATH);
  const sha256 = createHash("sha256").update(content).digest("hex");
  return { content, sha256, id: sha256.slice(0, 16) };
}
