import { operatorProcedure, router, viewerProcedure } from "../../trpc.ts";
import { vmRefInput } from "../vms/vms.schema.ts";
import { startBulkInput } from "./bulk.schema.ts";
import { startBulkHandler } from "./start-bulk.handler.ts";

/** One action (start, stop, cleanup, migrate) on a set of VMs, with a result per VM. */
export const bulkRouter = router({
  /** The cluster's latest bulk action, running or over. */
  latest: viewerProcedure
    .input(vmRefInput.pick({ clusterId: true }))
    .query(async ({ ctx, input }) => {
      await ctx.server.recovered;
      return ctx.server.services.bulk.latest(input.clusterId);
    }),
  start: operatorProcedure.input(startBulkInput).mutation(startBulkHandler),
});
