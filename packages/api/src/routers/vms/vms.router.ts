import {
  AppError,
  quoteArgv,
  type ResourceAction,
  resourceActionArgv,
  simulateStandby,
  strategiesFor,
  vmsStoppedByStandby,
} from "@corral/core";
import { z } from "zod";
import { operatorProcedure, router, viewerProcedure } from "../../trpc.ts";
import { changeResourceHandler } from "./change-resource.handler.ts";
import { deleteResourceHandler } from "./delete-resource.handler.ts";
import { evacuationsHandler } from "./evacuations.handler.ts";
import { getVmDetailsHandler } from "./get-vm-details.handler.ts";
import { movePrecheckHandler } from "./move-precheck.handler.ts";
import { moveVmHandler } from "./move-vm.handler.ts";
import { resyncVmConfigHandler } from "./resync-vm-config.handler.ts";
import { returnHomeHandler } from "./return-home.handler.ts";
import { cancelMigrationHandler, runVmActionHandler } from "./run-vm-action.handler.ts";
import {
  changeResourceInput,
  deleteResourceInput,
  migrationHistoryInput,
  migrationIdInput,
  moveVmInput,
  resyncConfigInput,
  returnHomeInput,
  vmActionInput,
  vmRefInput,
} from "./vms.schema.ts";

export const vmsRouter = router({
  details: viewerProcedure.input(vmRefInput).query(getVmDetailsHandler),
  /**
   * The exact standby/unstandby command per node, for the confirmations, and the cluster's own
   * switches (maintenance mode, cleanup of every failure).
   */
  controlCommands: viewerProcedure
    .input(migrationHistoryInput.pick({ clusterId: true }))
    .query(async ({ ctx, input }) => {
      const inventory = await ctx.server.clusterMonitor.inventory(input.clusterId);
      const command = (action: ResourceAction) => quoteArgv(resourceActionArgv(action, {}));
      return {
        nodes: Object.fromEntries(
          (inventory?.nodes ?? []).map((node) => [
            node.name,
            {
              standby: quoteArgv(resourceActionArgv("standby", { node: node.name })),
              unstandby: quoteArgv(resourceActionArgv("unstandby", { node: node.name })),
            },
          ]),
        ),
        cluster: {
          "maintenance-on": command("maintenance-on"),
          "maintenance-off": command("maintenance-off"),
          "cleanup-all": command("cleanup-all"),
        },
      };
    }),
  /**
   * What a standby of the node would do, from Pacemaker's own scheduler (crm_simulate on a copy
   * of the live CIB; nothing changes), and every VM it would leave stopped. A simulation that
   * fails says why; the constraints' reading still names the VMs.
   */
  standbyPlan: operatorProcedure
    .input(
      migrationHistoryInput.pick({ clusterId: true }).extend({ node: z.string().min(1).max(100) }),
    )
    .query(async ({ ctx, input }) => {
      await ctx.server.recovered;
      const inventory = await ctx.server.clusterMonitor.inventory(input.clusterId);
      const nodes = await ctx.server.services.vms.nodesOf(input.clusterId);
      const plan = await simulateStandby(ctx.server.clusterServices.pool, nodes, input.node, {
        actorId: ctx.user.id,
        clusterId: input.clusterId,
        ...ctx.server.clusterServices.agentLocation,
      });
      return {
        plan: plan.ok
          ? {
              ...plan.value,
              moves: plan.value.moves.map((move) => ({
                ...move,
                strategies: strategiesFor(move),
              })),
            }
          : null,
        error: plan.ok ? null : plan.error.message,
        stranded: inventory
          ? vmsStoppedByStandby(inventory, input.node, plan.ok ? plan.value : null)
          : [],
      };
    }),
  /**
   * Who holds which VM and the migrations of the last minutes, for a whole cluster: what every
   * card shows beside the live inventory, in one request per cluster instead of one per card.
   */
  activity: viewerProcedure
    .input(migrationHistoryInput.pick({ clusterId: true }))
    .query(async ({ ctx, input }) => {
      const service = ctx.server.services.vms;
      return {
        locks: await service.locks.list(input.clusterId),
        migrations: service.latestIn(input.clusterId),
      };
    }),
  /** Each node's latest drain (a standby): where each VM went and how, and Bring back's plan. */
  evacuations: viewerProcedure
    .input(migrationHistoryInput.pick({ clusterId: true }))
    .query(evacuationsHandler),
  /** Moves a drained node's VMs back to it, one at a time, once it is back online. */
  returnHome: operatorProcedure.input(returnHomeInput).mutation(returnHomeHandler),
  /** Before the click: what Pacemaker would do with the move, and the target's free memory. */
  movePrecheck: operatorProcedure.input(moveVmInput).query(movePrecheckHandler),
  move: operatorProcedure.input(moveVmInput).mutation(moveVmHandler),
  /** The migration now, then at every change (phase, memory transfer, result) over SSE. */
  migration: viewerProcedure.input(migrationIdInput).subscription(async function* ({
    ctx,
    input,
    signal,
  }) {
    await ctx.server.recovered;
    const service = ctx.server.services.vms;
    const changes = service.moves.changes(input.migrationId, signal);
    const view = service.moves.view(input.migrationId);
    if (!view) throw new AppError("NOT_FOUND", `No running migration ${input.migrationId}.`);
    yield { ...view };
    if (view.state !== "running") return;
    for await (const changed of changes) {
      yield changed;
      if (changed.state !== "running") return;
    }
  }),
  cancelMigration: operatorProcedure.input(migrationIdInput).mutation(cancelMigrationHandler),
  action: operatorProcedure.input(vmActionInput).mutation(runVmActionHandler),
  resyncConfig: operatorProcedure.input(resyncConfigInput).mutation(resyncVmConfigHandler),
  /** pcs resource update / meta / op on a managed VM; a restarting change needs acceptRestart. */
  changeResource: operatorProcedure.input(changeResourceInput).mutation(changeResourceHandler),
  /** The VM back to libvirt, defined on the chosen node; the resource and its constraints go. */
  deleteResource: operatorProcedure.input(deleteResourceInput).mutation(deleteResourceHandler),
  /** Migrations and moves, newest first: per VM, or the whole cluster's. */
  history: viewerProcedure.input(migrationHistoryInput).query(async ({ ctx, input }) => {
    await ctx.server.recovered;
    const service = ctx.server.services.vms;
    return service.migrations.list(input, 100);
  }),
});
