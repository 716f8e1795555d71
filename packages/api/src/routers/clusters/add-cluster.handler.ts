import { addCluster } from "@corral/core";
import { audited } from "../../audit.ts";
import { resultOrThrow } from "../../result-or-throw.ts";
import type { AuthenticatedContext } from "../../trpc.ts";
import type { AddClusterInput } from "./add-cluster.schema.ts";

export function addClusterHandler({
  ctx,
  input,
}: {
  ctx: AuthenticatedContext;
  input: AddClusterInput;
}) {
  const detail = {
    nodes: input.nodes.map(({ host, port, username, hostKey }) => ({
      host,
      port,
      username,
      hostKey,
    })),
  };
  return audited(ctx, "cluster.add", detail, async () => {
    const added = resultOrThrow(
      await addCluster(ctx.server.clusterServices, input, { actorId: ctx.user.id }),
    );
    await ctx.server.clusterMonitor.reload(added.clusterId);
    return added;
  });
}
