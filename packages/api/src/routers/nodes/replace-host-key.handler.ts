import { replaceHostKey } from "@corral/core";
import { audited } from "../../audit.ts";
import { resultOrThrow } from "../../result-or-throw.ts";
import type { AuthenticatedContext } from "../../trpc.ts";
import type { ReplaceHostKeyInput } from "./replace-host-key.schema.ts";

export async function replaceHostKeyHandler({
  ctx,
  input,
}: {
  ctx: AuthenticatedContext;
  input: ReplaceHostKeyInput;
}) {
  const node = await ctx.server.clusterServices.registry.findNode(input.nodeId);
  return audited(
    ctx,
    "node.replace-host-key",
    input,
    async () => {
      const replaced = resultOrThrow(await replaceHostKey(ctx.server.clusterServices, input));
      if (node) await ctx.server.clusterMonitor.reload(node.clusterId);
      return replaced;
    },
    { clusterId: node?.clusterId ?? null, node: node?.name ?? null },
  );
}
