import { AppError, readVmResourceConfig, resyncConfig } from "@corral/core";
import type { AuthenticatedContext } from "../../trpc.ts";
import { refuseConfigPathOutsideDirectories } from "../settings/config-directories.ts";
import { auditedVmAction } from "./audited-vm-action.ts";

/**
 * Copies the VM's config file from `source` to every other node the VM may run on, under the
 * VM's lock; only under the allowed directories, as onboarding writes it.
 */
export async function resyncVmConfigHandler({
  ctx,
  input,
}: {
  ctx: AuthenticatedContext;
  input: { clusterId: string; vm: string; source: string };
}) {
  await ctx.server.recovered;
  const service = ctx.server.services.vms;
  const nodes = await service.nodesOf(input.clusterId);
  const source = nodes.find((node) => node.id === input.source);
  if (!source)
    throw new AppError("INVALID_INPUT", `${input.source} is not a node of this cluster.`);
  const pool = ctx.server.clusterServices.pool;
  const context = {
    actorId: ctx.user.id,
    clusterId: input.clusterId,
    vm: input.vm,
    ...ctx.server.clusterServices.agentLocation,
  };
  return auditedVmAction(
    ctx,
    service,
    "vm.config.resync",
    input,
    async () => {
      const config = await readVmResourceConfig(pool, source, input.vm, context);
      if (!config.ok) throw config.error;
      if (!config.value.configPath) {
        throw new AppError("INVALID_INPUT", `${input.vm} has no config parameter to re-sync.`);
      }
      await refuseConfigPathOutsideDirectories(ctx.server.settings, config.value.configPath);
      // Only to the nodes the VM may run on: a node it is kept off needs no copy.
      const inventory = await ctx.server.clusterMonitor.inventory(input.clusterId);
      const allowed = inventory?.vms.find((vm) => vm.resource?.id === input.vm)?.resource
        ?.allowedNodes;
      const targets = allowed ? nodes.filter((node) => allowed.includes(node.id)) : nodes;
      const synced = await resyncConfig(pool, source, targets, config.value.configPath, context);
      if (!synced.ok) throw synced.error;
      const failed = synced.value.filter(({ result }) => !result.ok);
      if (failed.length) {
        throw new AppError(
          "COMMAND_FAILED",
          failed.map(({ result }) => (result.ok ? "" : result.error.message)).join("; "),
        );
      }
      return { nodes: synced.value.map(({ nodeId }) => nodeId) };
    },
    input.source,
  );
}
