import type { Result } from "../result.ts";
import type { NodeTarget } from "../ssh/node-target.ts";
import type { SshPool } from "../ssh/ssh-pool.ts";
import { type AgentVersion, agentVersionSchema } from "./agent-protocol.ts";
import { type RunAgentOptions, runAgent } from "./run-agent.ts";

export function readAgentVersion(
  pool: SshPool,
  node: NodeTarget,
  options: RunAgentOptions = {},
): Promise<Result<AgentVersion>> {
  return runAgent(pool, node, "version", [], agentVersionSchema, options);
}
