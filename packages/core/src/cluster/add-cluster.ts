import { randomUUID } from "node:crypto";
import { AppError } from "../errors.ts";
import { err, ok, type Result } from "../result.ts";
import type { AddClusterInput, AddedNodes } from "./add-cluster.types.ts";
import type { Actor, ClusterServices } from "./cluster-services.ts";
import { inspectCandidates } from "./inspect-candidates.ts";

/**
 * Registers a cluster by one or more of its nodes, each with the host key the operator
 * confirmed. Every node is checked first (reachable, pinned key, credentials, sudo, agent,
 * an active Pacemaker node, all of one cluster); only then is everything stored, in one
 * transaction.
 */
export async function addCluster(
  services: ClusterServices,
  input: AddClusterInput,
  actor: Actor,
): Promise<Result<AddedNodes>> {
  const clusterId = randomUUID();
  const [first] = input.nodes;
  if (!first) return err(new AppError("INVALID_INPUT", "Give at least one node."));
  const candidates = input.nodes.map(({ host, port, hostKey, ...credentials }) => ({
    host,
    port,
    hostKey,
    credentials,
  }));
  const inspected = await inspectCandidates(services, candidates, {
    actorId: actor.actorId,
    clusterId,
  });
  if (!inspected.ok) return inspected;

  const [lead, ...rest] = inspected.value;
  if (!lead) return err(new AppError("INVALID_INPUT", "Give at least one node."));
  const clusterName = lead.inspected.identity.clusterName;
  const foreign = rest.find(({ inspected }) => inspected.identity.clusterName !== clusterName);
  if (foreign) {
    return err(
      new AppError(
        "FOREIGN_CLUSTER",
        `${foreign.node.host}:${foreign.node.port} (node ${foreign.node.name}) belongs to cluster "${foreign.inspected.identity.clusterName}", not "${clusterName}" like ${lead.node.host}.`,
        { node: foreign.node.name },
      ),
    );
  }
  const existing = await services.registry.findClusterByName(clusterName);
  if (existing) {
    return err(
      new AppError(
        "CONFLICT",
        `Cluster "${clusterName}" is already registered; add nodes to it from its page instead.`,
      ),
    );
  }
  const cluster = await services.registry.registerCluster(
    { id: clusterId, name: clusterName },
    inspected.value.map(({ node }) => node),
  );
  const known = new Set(cluster.nodes.map((node) => node.name));
  return ok({
    clusterId,
    clusterName,
    added: inspected.value.map(({ node }) => node.name),
    credentialsNodeId: lead.node.id,
    otherMembers: lead.inspected.identity.members.filter((name) => !known.has(name)),
  });
}
