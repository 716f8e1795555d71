import { AppError } from "../errors.ts";
import { err, ok, type Result } from "../result.ts";
import type { ClusterServices } from "./cluster-services.ts";

/** Forgets a node (Corral's record and connection only: the node itself is untouched). */
export async function removeNode(
  services: ClusterServices,
  nodeId: string,
): Promise<Result<{ clusterId: string; nodeName: string }>> {
  const node = await services.registry.findNode(nodeId);
  if (!node) return err(new AppError("NOT_FOUND", "That node is not registered (any more)."));
  await services.registry.removeNode(node.id);
  services.pool.disconnect(node);
  return ok({ clusterId: node.clusterId, nodeName: node.name });
}
