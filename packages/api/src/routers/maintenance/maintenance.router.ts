import { operatorProcedure, router, viewerProcedure } from "../../trpc.ts";
import { vmRefInput } from "../vms/vms.schema.ts";
import { continueMaintenanceHandler } from "./continue-maintenance.handler.ts";
import {
  maintenanceIdInput,
  maintenancePlanInput,
  startMaintenanceInput,
} from "./maintenance.schema.ts";
import { maintenancePlanHandler } from "./maintenance-plan.handler.ts";
import { startMaintenanceHandler } from "./start-maintenance.handler.ts";
import { stopMaintenanceHandler } from "./stop-maintenance.handler.ts";

/** Rolling maintenance of a cluster's nodes, one at a time. */
export const maintenanceRouter = router({
  /** The cluster's latest rolling maintenance, running or over, with its log. */
  latest: viewerProcedure
    .input(vmRefInput.pick({ clusterId: true }))
    .query(async ({ ctx, input }) => {
      await ctx.server.recovered;
      return ctx.server.services.maintenance.latest(input.clusterId);
    }),
  plan: operatorProcedure.input(maintenancePlanInput).query(maintenancePlanHandler),
  start: operatorProcedure.input(startMaintenanceInput).mutation(startMaintenanceHandler),
  continue: operatorProcedure.input(maintenanceIdInput).mutation(continueMaintenanceHandler),
  stop: operatorProcedure.input(maintenanceIdInput).mutation(stopMaintenanceHandler),
});
