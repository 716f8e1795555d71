import {
  AppError,
  abortMigration,
  type ResourceActionTarget,
  runResourceAction,
} from "@corral/core";
import { audited } from "../../audit.ts";
import type { AuthenticatedContext } from "../../trpc.ts";
import type { VmActionInput } from "./vms.schema.ts";
import { vmsFor } from "./vms-service.ts";

/**
 * One pcs action, confirmed in the UI with its exact command. VM actions hold the VM's lock
 * (a second operator gets VM_BUSY naming the holder); node standby drains through pacemaker.
 */
export async function runVmActionHandler({
  ctx,
  input,
}: {
  ctx: AuthenticatedContext;
  input: VmActionInput;
}) {
  const service = await vmsFor(ctx.server);
  const nodes = await service.nodesOf(input.clusterId);
  const inventory = await ctx.server.clusterMonitor.inventory(input.clusterId);
  const online = new Set(
    inventory?.nodes.filter((node) => node.state !== "offline").map((node) => node.name),
  );
  const runner = nodes.find((node) => online.has(node.id)) ?? nodes[0];
  if (!runner) throw new AppError("NOT_FOUND", "The cluster has no node.");
  const target: ResourceActionTarget =
    input.kind === "vm" ? { vm: input.vm } : { node: input.node };
  const run = async () => {
    const started = Date.now();
    const result = await runResourceAction(
      ctx.server.clusterServices.pool,
      runner,
      input.action,
      target,
      {
        actorId: ctx.user.id,
        clusterId: input.clusterId,
      },
    );
    if (!result.ok) throw result.error;
    return { durationMs: Date.now() - started, output: result.value.stdout.trim() };
  };
  return audited(
    ctx,
    `${input.kind}.${input.action}`,
    { ...input },
    () =>
      input.kind === "vm"
        ? service.locks.runExclusive(
            {
              clusterId: input.clusterId,
              vm: input.vm,
              holderId: ctx.user.id,
              holderName: ctx.user.email,
              operation: `vm.${input.action}`,
            },
            run,
          )
        : run(),
    {
      clusterId: input.clusterId,
      vm: input.kind === "vm" ? input.vm : null,
      node: input.kind === "node" ? input.node : null,
    },
  );
}

/**
 * Cancels a live migration, only while migrate_to's memory transfer runs: `virsh domjobabort`
 * on the source first. The move constraint stays until Pacemaker has recorded the outcome and
 * the VM runs on exactly one node (the service settles that when the move ends): clearing it
 * while a migration is in flight once left the VM running on two nodes. Once the transfer has
 * completed there is nothing left to abort: the cancel is refused and the move completes.
 */
export async function cancelMigrationHandler({
  ctx,
  input,
}: {
  ctx: AuthenticatedContext;
  input: { migrationId: string };
}) {
  const service = await vmsFor(ctx.server);
  const view = service.view(input.migrationId);
  if (view?.state !== "running") {
    throw new AppError("CONFLICT", "That migration is not running any more.");
  }
  if (!view.live || !view.fromNode) {
    throw new AppError(
      "INVALID_INPUT",
      "Only a live migration's memory transfer can be cancelled.",
    );
  }
  if (view.phase !== "migrate_to" || !view.transferActive) {
    throw new AppError(
      "CONFLICT",
      view.phase === "requested"
        ? "The memory transfer has not started yet: there is nothing to abort. Try again once it runs."
        : "The memory transfer has completed: the move can no longer be cancelled. Once it is done, move the VM back.",
    );
  }
  const nodes = await service.nodesOf(view.clusterId);
  const source = nodes.find((node) => node.id === view.fromNode);
  if (!source) throw new AppError("NOT_FOUND", `${view.fromNode} is no node of this cluster.`);
  return audited(
    ctx,
    "vm.migrate.cancel",
    { ...input },
    async () => {
      service.setCancelling(input.migrationId, true);
      const aborted = await abortMigration(ctx.server.clusterServices.pool, source, view.vm, {
        actorId: ctx.user.id,
        clusterId: view.clusterId,
      });
      if (!aborted.ok) {
        // No job to abort: migrate_to finished meanwhile, and the move goes on as asked.
        service.setCancelling(input.migrationId, false);
        throw new AppError(
          "CONFLICT",
          `The memory transfer had already completed (${aborted.error.message}): the move continues. Once it is done, move the VM back.`,
        );
      }
      return { ok: true };
    },
    { clusterId: view.clusterId, vm: view.vm, node: view.fromNode },
  );
}
