import { AppError } from "../errors.ts";
import { err, ok, type Result } from "../result.ts";
import type { AddedNodes } from "./add-cluster.types.ts";
import type { AddNodesInput } from "./add-nodes.types.ts";
import type { Actor, ClusterServices } from "./cluster-services.ts";
import { inspectCandidates } from "./inspect-candidates.ts";
import type { NodeCredentials } from "./node-access.ts";
import { openNodeCredentials } from "./open-node-target.ts";

/**
 * Adds nodes to a registered cluster, typically the members the first node reported, with the
 * same key (a stored password is never reused: it is typed again). Each must pass the same checks as a new cluster's nodes and belong to this
 * cluster; all are stored in one transaction, or none.
 */
export async function addNodes(
  services: ClusterServices,
  input: AddNodesInput,
  actor: Actor,
): Promise<Result<AddedNodes>> {
  const cluster = await services.registry.findCluster(input.clusterId);
  if (!cluster) return err(new AppError("NOT_FOUND", "That cluster is not registered (any more)."));
  let credentials: NodeCredentials;
  if (input.credentials) {
    credentials = input.credentials;
  } else {
    const source = cluster.nodes.find((node) => node.id === input.sameCredentialsAs);
    if (!source) {
      return err(
        new AppError(
          "INVALID_INPUT",
          "Choose a node of this cluster to copy the credentials from, or give credentials.",
        ),
      );
    }
    const stored = openNodeCredentials(source, services.credentialKey);
    // The new hosts are only what an operator named (and whose host keys they accepted): a
    // stored password would be handed to whoever answers there, and ssh2 offers a password
    // before a key. A stored key proves itself without leaving Corral, so it alone is reused.
    if (!stored.privateKey && !input.password) {
      return err(
        new AppError(
          "INVALID_INPUT",
          `Node ${source.name} is reached with a password, which Corral sends to that node only: type the password for the new nodes.`,
        ),
      );
    }
    credentials = {
      username: stored.username,
      privateKey: stored.privateKey,
      passphrase: stored.passphrase,
      password: input.password,
    };
  }
  if (!credentials.privateKey && !credentials.password) {
    return err(new AppError("INVALID_INPUT", "Paste a private key (or give a password)."));
  }
  const inspected = await inspectCandidates(
    services,
    input.nodes.map((node) => ({ ...node, credentials })),
    { actorId: actor.actorId, clusterId: cluster.id, expectedCluster: cluster.name },
  );
  if (!inspected.ok) return inspected;
  const known = new Set(cluster.nodes.map((node) => node.name));
  const again = inspected.value.find(({ node }) => known.has(node.name));
  if (again) {
    return err(
      new AppError(
        "CONFLICT",
        `Node ${again.node.name} is already registered (at ${cluster.nodes.find((node) => node.name === again.node.name)?.host}).`,
        { node: again.node.name },
      ),
    );
  }
  const updated = await services.registry.addNodes(
    cluster.id,
    inspected.value.map(({ node }) => node),
  );
  const registered = new Set(updated.nodes.map((node) => node.name));
  const members = new Set(inspected.value.flatMap(({ inspected }) => inspected.identity.members));
  return ok({
    clusterId: cluster.id,
    clusterName: cluster.name,
    added: inspected.value.map(({ node }) => node.name),
    credentialsNodeId: inspected.value[0]?.node.id ?? "",
    otherMembers: [...members].filter((name) => !registered.has(name)).sort(),
  });
}
