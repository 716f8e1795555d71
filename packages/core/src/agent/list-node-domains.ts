import type { Result } from "../result.ts";
import type { NodeTarget } from "../ssh/node-target.ts";
import type { SshPool } from "../ssh/ssh-pool.ts";
import { domainListSchema, type NodeDomains } from "./agent-protocol.ts";
import { type RunAgentOptions, runAgent } from "./run-agent.ts";

/**
 * Every libvirt domain on the node, defined or running, with its disks and boot files; a domain
 * the agent could not read is named in `unreadable` rather than failing the whole list.
 */
export function listNodeDomains(
  pool: SshPool,
  node: NodeTarget,
  options: RunAgentOptions = {},
): Promise<Result<NodeDomains>> {
  return runAgent(pool, node, "domains", [], domainListSchema, options);
}
