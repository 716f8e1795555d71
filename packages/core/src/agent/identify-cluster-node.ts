import { AppError } from "../errors.ts";
import { err, ok, type Result } from "../result.ts";
import type { NodeFacts } from "./agent-protocol.ts";

export interface ClusterNodeIdentity {
  nodeName: string;
  clusterName: string;
  /** Names of every member the node sees, to offer adding the others. */
  members: string[];
}

/**
 * Decides from a node's facts whether it can join Corral's picture of a cluster: it must run
 * Pacemaker on Corosync, and when Corral already knows the cluster, belong to that one.
 */
export function identifyClusterNode(
  host: string,
  facts: NodeFacts,
  expectedCluster?: string,
): Result<ClusterNodeIdentity> {
  if (facts.nodeName === null || facts.clusterName === null) {
    const reasons = facts.problems
      .filter((problem) => problem.fact === "nodeName" || problem.fact === "clusterName")
      .map((problem) => problem.message);
    const installed =
      facts.versions.pacemaker === null
        ? "Pacemaker is not installed"
        : "Pacemaker or Corosync is not running";
    return err(
      new AppError(
        "NOT_PACEMAKER_NODE",
        `${host} (${facts.hostname}) is not an active cluster node: ${installed}${reasons.length ? ` (${reasons.join("; ")})` : ""}.`,
        { node: host },
      ),
    );
  }
  if (expectedCluster !== undefined && facts.clusterName !== expectedCluster) {
    return err(
      new AppError(
        "FOREIGN_CLUSTER",
        `${host} (node ${facts.nodeName}) belongs to cluster "${facts.clusterName}", not "${expectedCluster}".`,
        { node: host },
      ),
    );
  }
  return ok({
    nodeName: facts.nodeName,
    clusterName: facts.clusterName,
    members: (facts.membership ?? []).map((member) => member.name),
  });
}
