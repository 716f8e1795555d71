import { removeNode } from "@corral/core";
import { audited } from "../../audit.ts";
import { resultOrThrow } from "../../result-or-throw.ts";
import type { AuthenticatedContext } from "../../trpc.ts";
import type { RemoveNodeInput } from "./remove-node.schema.ts";

export function removeNodeHandler({
  ctx,
  input,
}: {
  ctx: AuthenticatedContext;
  input: RemoveNodeInput;
}) {
  return audited(ctx, "node.remove", input, async () => {
    const removed = resultOrThrow(await removeNode(ctx.server.clusterServices, input.nodeId));
    await ctx.server.clusterMonitor.reload(removed.clusterId);
    return removed;
  });
}
