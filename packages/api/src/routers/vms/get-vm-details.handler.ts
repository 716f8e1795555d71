import {
  AppError,
  checkVmStorage,
  compareConfigAcrossNodes,
  describeUncheckable,
  firstAnswer,
  listMigrationTargets,
  MOVE_CONSTRAINT_MODES,
  type MoveConstraintMode,
  moveResourceArgv,
  preferring,
  quoteArgv,
  readVmResourceConfig,
  resourceActionArgv,
} from "@corral/core";
import type { AuthenticatedContext } from "../../trpc.ts";
import { VM_ACTIONS, type VmRefInput } from "./vms.schema.ts";

/**
 * What a managed VM's card needs beyond the live inventory: allow-migrate and the config path
 * from the CIB, the config's drift across nodes, its storage on every node, the targets with
 * their reasons, who holds the VM, the migration running now, and the exact command of every
 * action for its confirmation.
 */
export async function getVmDetailsHandler({
  ctx,
  input,
}: {
  ctx: AuthenticatedContext;
  input: VmRefInput;
}) {
  await ctx.server.recovered;
  const service = ctx.server.services.vms;
  const inventory = await ctx.server.clusterMonitor.inventory(input.clusterId);
  if (!inventory) throw new AppError("NOT_FOUND", `No cluster ${input.clusterId} in Corral.`);
  const vm = inventory.vms.find((candidate) => candidate.resource?.id === input.vm);
  if (!vm?.resource) {
    throw new AppError(
      "VM_NOT_FOUND",
      `${input.vm} is not a VM resource of ${inventory.clusterName}.`,
    );
  }
  const nodes = await service.nodesOf(input.clusterId);
  const online = inventory.nodes.filter((node) => node.state === "online").map((node) => node.name);
  const { pool, agentLocation } = ctx.server.clusterServices;
  const read = await firstAnswer(preferring(nodes, online), (node) =>
    readVmResourceConfig(pool, node, input.vm),
  );
  const config = read.node ? read.value : null;
  const reachable = nodes.filter((node) => online.includes(node.id));
  const configPath = config?.configPath;
  const [drift, storage] = configPath
    ? await Promise.all([
        compareConfigAcrossNodes(pool, reachable, configPath, agentLocation),
        checkVmStorage(
          pool,
          reachable,
          { configPath, runningOn: vm.resource.nodes },
          agentLocation,
        ),
      ])
    : [null, null];
  const targets = listMigrationTargets({
    nodes: inventory.nodes.map(({ name, state, libvirt }) => ({ name, state, libvirt })),
    runningOn: vm.resource.nodes,
    constraints: vm.resource.constraints,
    drift,
    storage,
  });
  return {
    vm: input.vm,
    config,
    drift,
    targets,
    /** Storage no node can vouch for (network, volume, NVMe, vhost-user disks). */
    storageWarnings: storage?.uncheckable.map(describeUncheckable) ?? [],
    autostartOn: vm.placements.filter((placement) => placement.autostart).map((p) => p.node),
    lock: await service.locks.find(input.clusterId, input.vm),
    migration: service.latestFor(input.clusterId, input.vm),
    /** Exactly what each action runs, shell-quoted by the one quoting module, for the confirmations. */
    commands: {
      move: Object.fromEntries(
        targets.map((target) => [
          target.node,
          Object.fromEntries(
            MOVE_CONSTRAINT_MODES.map((mode) => [
              mode,
              quoteArgv(moveResourceArgv(input.vm, target.node, mode)),
            ]),
          ) as Record<MoveConstraintMode, string>,
        ]),
      ),
      vm: Object.fromEntries(
        VM_ACTIONS.map((action) => [
          action,
          quoteArgv(resourceActionArgv(action, { vm: input.vm })),
        ]),
      ),
    },
  };
}
