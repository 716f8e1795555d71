import { addNodes } from "@corral/core";
import { audited } from "../../audit.ts";
import { resultOrThrow } from "../../result-or-throw.ts";
import type { AuthenticatedContext } from "../../trpc.ts";
import type { AddNodesInput } from "./add-nodes.schema.ts";

export function addNodesHandler({
  ctx,
  input,
}: {
  ctx: AuthenticatedContext;
  input: AddNodesInput;
}) {
  const detail = {
    clusterId: input.clusterId,
    nodes: input.nodes,
    sameCredentialsAs: input.sameCredentialsAs ?? null,
    username: input.credentials?.username ?? null,
  };
  return audited(
    ctx,
    "cluster.add-nodes",
    detail,
    async () => {
      const added = resultOrThrow(
        await addNodes(ctx.server.clusterServices, input, { actorId: ctx.user.id }),
      );
      await ctx.server.clusterMonitor.reload(added.clusterId);
      return added;
    },
    { clusterId: input.clusterId },
  );
}
