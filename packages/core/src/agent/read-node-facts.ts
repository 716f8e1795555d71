import type { Result } from "../result.ts";
import type { NodeTarget } from "../ssh/node-target.ts";
import type { SshPool } from "../ssh/ssh-pool.ts";
import { type NodeFacts, nodeFactsSchema } from "./agent-protocol.ts";
import { type RunAgentOptions, runAgent } from "./run-agent.ts";

/** Hostname, cluster node and cluster name, membership and component versions of one node. */
export function readNodeFacts(
  pool: SshPool,
  node: NodeTarget,
  options: RunAgentOptions = {},
): Promise<Result<NodeFacts>> {
  return runAgent(pool, node, "facts", [], nodeFactsSchema, options);
}
