import { returnHomeMoves } from "@corral/core";
import type { AuthenticatedContext } from "../../trpc.ts";

/**
 * Each node's latest drain: what ran there, where each VM went and how by Pacemaker's record,
 * whether the node was left safe to reboot, and what Bring back would move now (from the live
 * inventory), or why nothing.
 */
export async function evacuationsHandler({
  ctx,
  input,
}: {
  ctx: AuthenticatedContext;
  input: { clusterId: string };
}) {
  await ctx.server.recovered;
  const entries = await ctx.server.services.vms.evacuations.latestPerNode(input.clusterId);
  const inventory = await ctx.server.clusterMonitor.inventory(input.clusterId);
  return entries.map((entry) => ({
    ...entry,
    returnHome:
      entry.outcome && inventory
        ? returnHomeMoves({ node: entry.node, vms: entry.outcome.vms }, inventory)
        : null,
  }));
}
