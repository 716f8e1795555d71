import { removeCluster } from "@corral/core";
import { audited } from "../../audit.ts";
import { resultOrThrow } from "../../result-or-throw.ts";
import type { AuthenticatedContext } from "../../trpc.ts";
import type { RemoveClusterInput } from "./remove-cluster.schema.ts";

export function removeClusterHandler({
  ctx,
  input,
}: {
  ctx: AuthenticatedContext;
  input: RemoveClusterInput;
}) {
  return audited(
    ctx,
    "cluster.remove",
    input,
    async () => {
      const removed = resultOrThrow(
        await removeCluster(ctx.server.clusterServices, input.clusterId),
      );
      await ctx.server.clusterMonitor.reload(input.clusterId);
      return removed;
    },
    { clusterId: input.clusterId },
  );
}
