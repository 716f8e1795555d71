import type { Result } from "../result.ts";
import type { NodeTarget } from "../ssh/node-target.ts";
import type { SshPool } from "../ssh/ssh-pool.ts";
import { type AgentMetadataXml, agentMetadataSchema } from "./agent-protocol.ts";
import { type RunAgentOptions, runAgent } from "./run-agent.ts";

/** The resource agent's metadata XML as the node's crm_resource prints it. */
export function readAgentMetadataXml(
  pool: SshPool,
  node: NodeTarget,
  resourceAgent = "ocf:heartbeat:VirtualDomain",
  options: RunAgentOptions = {},
): Promise<Result<AgentMetadataXml>> {
  return runAgent(pool, node, "agent-metadata", [resourceAgent], agentMetadataSchema, options);
}
