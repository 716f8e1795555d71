import { type RunAgentOptions, runAgent } from "../agent/run-agent.ts";
import { fileSummarySchema } from "../onboarding/onboarding-agent-protocol.ts";
import type { NodeTarget } from "../ssh/node-target.ts";
import { runOnNodes } from "../ssh/run-on-nodes.ts";
import type { SshPool } from "../ssh/ssh-pool.ts";

export interface ConfigCopy {
  node: string;
  sha256: string | null;
  /** Why the file could not be read there (missing, unreadable, node unreachable). */
  problem: string | null;
}

export interface ConfigDrift {
  path: string;
  /** Every node has the file and all copies are byte for byte the same. */
  identical: boolean;
  copies: ConfigCopy[];
  /** The hash most nodes have: the likely intended version, offered as the re-sync source. */
  majoritySha256: string | null;
}

/**
 * The SHA-256 of the VM's config file on every node. VirtualDomain starts the VM from the file
 * on whichever node pacemaker picks, so a copy that differs (or is missing) means the VM starts
 * differently, or not at all, after a failover.
 */
export async function compareConfigAcrossNodes(
  pool: SshPool,
  nodes: readonly NodeTarget[],
  path: string,
  options: RunAgentOptions = {},
): Promise<ConfigDrift> {
  const read = await runOnNodes(nodes, (node) =>
    runAgent(pool, node, "sha256", [path], fileSummarySchema, options),
  );
  const copies = read.map(({ nodeId, result }) => ({
    node: nodeId,
    sha256: result.ok ? result.value.sha256 : null,
    problem: result.ok ? null : result.error.message,
  }));
  const counts = new Map<string, number>();
  for (const copy of copies) {
    if (copy.sha256) counts.set(copy.sha256, (counts.get(copy.sha256) ?? 0) + 1);
  }
  const majoritySha256 = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
  return {
    path,
    identical: copies.every((copy) => copy.sha256 !== null && copy.sha256 === copies[0]?.sha256),
    copies,
    majoritySha256,
  };
}
