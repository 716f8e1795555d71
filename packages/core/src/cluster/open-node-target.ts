import { openSecret } from "../credentials/seal-secret.ts";
import { AppError } from "../errors.ts";
import type { NodeTarget } from "../ssh/node-target.ts";
import type { ClusterServices } from "./cluster-services.ts";
import type { NodeCredentials } from "./node-access.ts";
import { toNodeTarget } from "./node-access.ts";
import type { RegisteredNode } from "./registered-cluster.ts";

/** The stored credentials in plaintext, in memory only, for one use. */
export function openNodeCredentials(node: RegisteredNode, key: Buffer): NodeCredentials {
  const open = (sealed: string | null) =>
    sealed === null ? undefined : openSecret(sealed, key, node.id);
  return {
    username: node.username,
    privateKey: open(node.sealed.privateKey),
    passphrase: open(node.sealed.passphrase),
    password: open(node.sealed.password),
  };
}

/**
 * How the pool reaches a registered node (throws CREDENTIAL_UNREADABLE if the key changed).
 * The pool and the command log know it by its node name, which operators recognise.
 */
export function openNodeTarget(node: RegisteredNode, key: Buffer): NodeTarget {
  return toNodeTarget(node.name, node, openNodeCredentials(node, key), node.hostKey);
}

/** Every node of a registered cluster, opened as above (NOT_FOUND if it is not registered). */
export async function openClusterNodeTargets(
  services: Pick<ClusterServices, "registry" | "credentialKey">,
  clusterId: string,
): Promise<NodeTarget[]> {
  const cluster = await services.registry.findCluster(clusterId);
  if (!cluster) throw new AppError("NOT_FOUND", `No cluster ${clusterId} in Corral.`);
  return cluster.nodes.map((node) => openNodeTarget(node, services.credentialKey));
}
