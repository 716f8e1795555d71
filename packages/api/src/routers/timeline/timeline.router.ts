import { buildTimeline, TIMELINE_KINDS } from "@corral/core";
import { z } from "zod";
import { router, viewerProcedure } from "../../trpc.ts";

const name = z.string().trim().max(100).optional();

const timelineInput = z.object({
  clusterId: z.string().min(1).max(100),
  vm: name,
  node: name,
  kinds: z.array(z.enum(TIMELINE_KINDS)).max(TIMELINE_KINDS.length).optional(),
  from: z.date().optional(),
  to: z.date().optional(),
});

/** How far back each source is read: the newest entries of each, merged on one axis. */
const PER_SOURCE = 1_000;

export const timelineRouter = router({
  /**
   * One time axis for a cluster, a VM or a node: operators' actions, the watch's findings and
   * recoveries, Corral's moves, Pacemaker's own moves and failed operations, start/stop tests.
   */
  list: viewerProcedure.input(timelineInput).query(async ({ ctx, input }) => {
    await ctx.server.recovered;
    const { clusterId, vm, node, from, to } = input;
    const [actions, moves, tests, inventory] = await Promise.all([
      ctx.server.commandLog.repository.list(
        { clusterId, kind: "action", vm, from, to },
        { limit: PER_SOURCE },
      ),
      ctx.server.services.vms.migrations.list({ clusterId, vm }, PER_SOURCE),
      ctx.server.services.onboarding.store.listTestResults({ clusterId, vm, limit: PER_SOURCE }),
      ctx.server.clusterMonitor.inventory(clusterId),
    ]);
    return buildTimeline(
      {
        actions: actions.entries,
        moves,
        tests,
        failures: inventory?.failedActions ?? [],
        fencing: inventory?.summary?.fenceHistory ?? [],
      },
      { vm, node, kinds: input.kinds, from, to },
    );
  }),
});
