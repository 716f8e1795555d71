import { randomUUID } from "node:crypto";
import { AppError } from "../errors.ts";
import { err, ok, type Result } from "../result.ts";
import { runOnNodes } from "../ssh/run-on-nodes.ts";
import type { ClusterServices } from "./cluster-services.ts";
import { type InspectedNode, inspectNode } from "./inspect-node.ts";
import { type NodeCredentials, sealCredentials, toNodeTarget } from "./node-access.ts";
import type { NewNode } from "./registered-cluster.ts";

export interface CandidateNode {
  host: string;
  port: number;
  hostKey: { keyType: string; fingerprint: string };
  credentials: NodeCredentials;
}

export interface InspectedCandidate {
  node: NewNode;
  inspected: InspectedNode;
}

/**
 * Inspects candidate nodes in parallel and turns the ones that passed into records to store.
 * Any failure fails the whole batch (nothing is half-registered), naming the node that failed;
 * each node's connection is dropped again on failure, since nothing will use it.
 */
export async function inspectCandidates(
  services: ClusterServices,
  candidates: readonly CandidateNode[],
  context: { actorId: string | null; clusterId: string; expectedCluster?: string },
): Promise<Result<InspectedCandidate[]>> {
  const endpoints = candidates.map((candidate) => `${candidate.host}:${candidate.port}`);
  const repeated = endpoints.find((endpoint, index) => endpoints.indexOf(endpoint) !== index);
  if (repeated) {
    return err(new AppError("INVALID_INPUT", `${repeated} is listed twice.`, { node: repeated }));
  }
  for (const candidate of candidates) {
    const known = await services.registry.findNodeByEndpoint(candidate.host, candidate.port);
    if (known) {
      return err(
        new AppError(
          "CONFLICT",
          `${candidate.host}:${candidate.port} is already registered as node ${known.name}.`,
          { node: known.name },
        ),
      );
    }
  }
  const targets = candidates.map((candidate, index) => ({
    id: randomUUID(),
    target: toNodeTarget(
      endpoints[index] as string,
      candidate,
      candidate.credentials,
      candidate.hostKey,
    ),
    candidate,
  }));
  const results = await runOnNodes(
    targets.map(({ target }) => target),
    (target) => inspectNode(services, target, context),
  );
  // The operator may still decline these nodes: no connection outlives the checks.
  for (const { target } of targets) services.pool.disconnect(target);
  const failed = results.find(({ result }) => !result.ok);
  if (failed && !failed.result.ok) return failed.result;

  const inspected = results.map(({ result }) => (result as { value: InspectedNode }).value);
  const names = inspected.map(({ identity }) => identity.nodeName);
  const duplicate = names.find((name, index) => names.indexOf(name) !== index);
  if (duplicate) {
    return err(
      new AppError(
        "INVALID_INPUT",
        `Two of the given addresses reach the same node ${duplicate}; give each node once.`,
        { node: duplicate },
      ),
    );
  }
  const seen = new Date();
  return ok(
    targets.map(({ id, candidate }, index) => {
      const { identity, facts, agent } = inspected[index] as InspectedNode;
      return {
        inspected: inspected[index] as InspectedNode,
        node: {
          id,
          name: identity.nodeName,
          host: candidate.host,
          port: candidate.port,
          username: candidate.credentials.username,
          hostKey: candidate.hostKey,
          sealed: sealCredentials(candidate.credentials, services.credentialKey, id),
          agentVersion: agent.id,
          versions: facts.versions,
          lastSeenAt: seen,
        },
      };
    }),
  );
}
