import { AppError } from "../errors.ts";
import { err, ok, type Result } from "../result.ts";
import type { ClusterServices } from "./cluster-services.ts";

/** Forgets a cluster and all its nodes (Corral's records only: the cluster keeps running). */
export async function removeCluster(
  services: ClusterServices,
  clusterId: string,
): Promise<Result<{ clusterName: string }>> {
  const cluster = await services.registry.findCluster(clusterId);
  if (!cluster) return err(new AppError("NOT_FOUND", "That cluster is not registered (any more)."));
  await services.registry.removeCluster(cluster.id);
  for (const node of cluster.nodes) services.pool.disconnect(node);
  return ok({ clusterName: cluster.name });
}
