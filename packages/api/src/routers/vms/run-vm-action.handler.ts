import {
  AppError,
  type AuditAction,
  cancelMigration,
  evacuationSteps,
  type Inventory,
  isTransitional,
  type NodeTarget,
  type ResourceActionTarget,
  readClusterStatusFromAny,
  refuseCancel,
  resourcesOn,
  runResourceAction,
  type StandbyPlan,
  simulateStandby,
  vmsStoppedByStandby,
} from "@corral/core";
import { audited } from "../../audit.ts";
import type { AuthenticatedContext } from "../../trpc.ts";
import type { VmActionInput } from "./vms.schema.ts";
import type { DrainFirst } from "./vms-service.ts";

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
  await ctx.server.recovered;
  const service = ctx.server.services.vms;
  const inventory = await ctx.server.clusterMonitor.inventory(input.clusterId);
  const { nodes, runner } = await service.nodesAndRunner(input.clusterId, inventory);
  const target: ResourceActionTarget =
    input.kind === "vm" ? { vm: input.vm } : input.kind === "node" ? { node: input.node } : {};
  // A drain: Pacemaker's own scheduler asked again (crm_simulate on a copy of the CIB).
  const drained = input.kind === "node" && input.action === "standby" ? input.node : null;
  const plan =
    drained && inventory
      ? await simulateStandby(ctx.server.clusterServices.pool, nodes, drained, {
          actorId: ctx.user.id,
          clusterId: input.clusterId,
          ...ctx.server.clusterServices.agentLocation,
        }).then((simulated) => (simulated.ok ? simulated.value : null))
      : null;
  // A standby that would leave VMs stopped runs only when the operator named each of them.
  // By the VMs' constraints and by the scheduler: a VM either says would stop needs the
  // operator's word.
  const stranded = drained && inventory ? vmsStoppedByStandby(inventory, drained, plan) : [];
  const unconfirmed = stranded.filter(
    (entry) => input.kind !== "node" || !input.stopVms?.includes(entry.resource),
  );
  if (unconfirmed.length) {
    throw new AppError(
      "CONFLICT",
      `Standby of ${input.kind === "node" ? input.node : ""} would leave ${unconfirmed.map((s) => `${s.resource} stopped (${s.reason})`).join("; ")}. Move it first, or confirm that it stops.`,
    );
  }
  const first = drained && input.kind === "node" ? drainFirst(input, plan, inventory) : undefined;
  const context = { actorId: ctx.user.id, clusterId: input.clusterId };
  const pool = ctx.server.clusterServices.pool;
  // A standby drains the node: recorded as an evacuation, with where each VM went and how.
  const onNode = drained ? resourcesOn(inventory ?? { vms: [] }, drained) : [];
  const run = async () => {
    const started = Date.now();
    if (input.kind === "vm" && input.action === "clear")
      await refuseClearWhileMoving(ctx, nodes, input);
    if (drained) {
      const { outcome, output } = await service.drain({
        clusterId: input.clusterId,
        node: drained,
        resources: onNode,
        nodes,
        runner,
        actor: { id: ctx.user.id, name: ctx.user.email },
        ...(first ? { first } : {}),
      });
      const stopped = outcome.vms.filter((vm) => vm.how === "stopped").map((vm) => vm.resource);
      if (stopped.length) {
        throw new AppError(
          "COMMAND_FAILED",
          `${drained} is in standby, but ${stopped.join(", ")} ${stopped.length > 1 ? "are" : "is"} now stopped: no other node took ${stopped.length > 1 ? "them" : "it"}.`,
        );
      }
      return { durationMs: Date.now() - started, output };
    }
    const result = await runResourceAction(pool, runner, input.action, target, context);
    if (!result.ok) throw result.error;
    return { durationMs: Date.now() - started, output: result.value.stdout.trim() };
  };
  const action: AuditAction =
    input.kind === "vm"
      ? `vm.${input.action}`
      : input.kind === "node"
        ? `node.${input.action}`
        : `cluster.${input.action}`;
  return audited(
    ctx,
    action,
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
 * The operator's choices for a drain (strategy per VM, in their order, and how many at once)
 * against the scheduler's fresh plan; refused, naming each, when one cannot be carried out.
 * Without choices the standby alone moves the VMs, as Pacemaker decides.
 */
function drainFirst(
  input: Extract<VmActionInput, { kind: "node" }>,
  plan: StandbyPlan | null,
  inventory: Pick<Inventory, "vms"> | null,
): DrainFirst | undefined {
  if (!input.evacuate) return undefined;
  if (!plan) {
    throw new AppError(
      "CONFLICT",
      "Pacemaker's scheduler could not be asked where the VMs would go: drain without choices (the standby alone), or try again.",
    );
  }
  const steps = evacuationSteps(plan, input.evacuate.vms);
  if (steps.refused.length) {
    throw new AppError(
      "INVALID_INPUT",
      steps.refused.map((refused) => `${refused.resource}: ${refused.reason}`).join("; "),
    );
  }
  const domainOf = (resource: string) =>
    inventory?.vms.find((vm) => vm.resource?.id === resource)?.name ?? resource;
  return {
    holds: steps.holds,
    moves: steps.moves.map((move) => ({ ...move, domain: domainOf(move.resource) })),
    concurrency: input.evacuate.concurrency,
  };
}

/**
 * Cancels a live migration (core's cancelMigration: only an abort of migrate_to's memory
 * transfer); the service settles the move constraint once Pacemaker recorded the outcome and
 * the VM runs on exactly one node.
 */
export async function cancelMigrationHandler({
  ctx,
  input,
}: {
  ctx: AuthenticatedContext;
  input: { migrationId: string };
}) {
  await ctx.server.recovered;
  const service = ctx.server.services.vms;
  const view = service.moves.view(input.migrationId);
  if (view?.state !== "running") {
    throw new AppError("CONFLICT", "That migration is not running any more.");
  }
  if (!view.live || !view.fromNode) {
    throw new AppError(
      "INVALID_INPUT",
      "Only a live migration's memory transfer can be cancelled.",
    );
  }
  const refusal = refuseCancel(view);
  if (refusal) throw refusal;
  const nodes = await service.nodesOf(view.clusterId);
  const source = nodes.find((node) => node.id === view.fromNode);
  if (!source) throw new AppError("NOT_FOUND", `${view.fromNode} is no node of this cluster.`);
  return audited(
    ctx,
    "vm.migrate.cancel",
    { ...input },
    async () => {
      await service.moves.send(input.migrationId, { type: "cancel-requested" });
      const cancelled = await cancelMigration(
        ctx.server.clusterServices.pool,
        source,
        view.vm,
        view,
        { actorId: ctx.user.id, clusterId: view.clusterId },
      );
      if (!cancelled.ok) {
        // The move goes on as asked.
        await service.moves.send(input.migrationId, { type: "cancel-withdrawn" });
        throw cancelled.error;
      }
      return { ok: true };
    },
    { clusterId: view.clusterId, vm: view.vm, node: view.fromNode },
  );
}

/**
 * Clearing a move constraint while Pacemaker moves the VM (Migrating, Starting, Stopping) can
 * leave it running on two nodes: refused until Pacemaker settled, by its own fresh record.
 */
async function refuseClearWhileMoving(
  ctx: AuthenticatedContext,
  nodes: NodeTarget[],
  input: { clusterId: string; vm: string },
): Promise<void> {
  const status = await readClusterStatusFromAny(ctx.server.clusterServices.pool, nodes, {
    actorId: ctx.user.id,
    clusterId: input.clusterId,
  });
  if (!status.ok) throw status.error;
  const resource = status.value.resources.find((r) => r.id === input.vm) ?? null;
  if (isTransitional(resource)) {
    throw new AppError(
      "CONFLICT",
      `Pacemaker is moving ${input.vm} now (${resource?.role}): clearing its constraints mid-move can leave it running on two nodes. Clear once it is Started.`,
    );
  }
}
