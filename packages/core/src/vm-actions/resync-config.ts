import { createHash } from "node:crypto";
import type { RunAgentOptions } from "../agent/run-agent.ts";
import { distributeConfig } from "../onboarding/distribute-config.ts";
import type { FileSummary } from "../onboarding/onboarding-agent-protocol.ts";
import type { Result } from "../result.ts";
import type { NodeTarget } from "../ssh/node-target.ts";
import type { NodeResult } from "../ssh/run-on-nodes.ts";
import type { SshPool } from "../ssh/ssh-pool.ts";

export function readConfigArgv(path: string): string[] {
  return ["cat", "--", path];
}

/**
 * Copies the config file from `source` to the other nodes, each write atomic and verified by
 * its SHA-256 (the same path as onboarding's distribution). One Result per target node.
 */
export async function resyncConfig(
  pool: SshPool,
  source: NodeTarget,
  targets: readonly NodeTarget[],
  path: string,
  options: RunAgentOptions = {},
): Promise<Result<NodeResult<FileSummary>[]>> {
  const read = await pool.run(source, readConfigArgv(path), options);
  if (!read.ok) return read;
  const xml = read.value.stdout;
  const sha256 = createHash("sha256").update(xml).digest("hex");
  const others = targets.filter((node) => node.id !== source.id);
  return { ok: true, value: await distributeConfig(pool, others, { path, xml, sha256 }, options) };
}
