import type { NodeFacts } from "../agent/agent-protocol.ts";
import { type ClusterNodeIdentity, identifyClusterNode } from "../agent/identify-cluster-node.ts";
import { ensureAgent, type InstalledAgent } from "../agent/install-agent.ts";
import { readNodeFacts } from "../agent/read-node-facts.ts";
import { err, ok, type Result } from "../result.ts";
import type { NodeTarget } from "../ssh/node-target.ts";
import type { CommandContext } from "../ssh/ssh-pool.ts";
import type { ClusterServices } from "./cluster-services.ts";

export interface InspectedNode {
  identity: ClusterNodeIdentity;
  facts: NodeFacts;
  agent: InstalledAgent;
}

/**
 * Everything Corral checks before it keeps a node: the pinned key and the credentials work
 * (connect), sudo works and the agent is current (ensureAgent), and the node is an active
 * Pacemaker node of the expected cluster (facts). Nothing is stored here.
 */
export async function inspectNode(
  services: ClusterServices,
  target: NodeTarget,
  context: CommandContext & { expectedCluster?: string },
): Promise<Result<InspectedNode>> {
  const { expectedCluster, ...commandContext } = context;
  const options = { ...commandContext, ...services.agentLocation };
  const connected = await services.pool.connect(target);
  if (!connected.ok) return connected;
  const agent = await ensureAgent(services.pool, target, services.agent, options);
  if (!agent.ok) return agent;
  const facts = await readNodeFacts(services.pool, target, options);
  if (!facts.ok) return facts;
  const identity = identifyClusterNode(
    `${target.host}:${target.port}`,
    facts.value,
    expectedCluster,
  );
  if (!identity.ok) return err(identity.error);
  return ok({ identity: identity.value, facts: facts.value, agent: agent.value });
}
