import { AppError } from "../errors.ts";
import { isDomainActive, locateDomain } from "../onboarding/locate-domain.ts";
import { err, ok, type Result } from "../result.ts";
import type { NodeTarget } from "../ssh/node-target.ts";
import type { CommandContext, SshPool } from "../ssh/ssh-pool.ts";
import { readClusterStatusFromAny } from "./read-cluster-status.ts";
import { runResourceAction } from "./resource-actions.ts";

/**
 * After an aborted memory transfer, once Pacemaker has settled: the VM must run on exactly one
 * node, by every node's own libvirt, and Pacemaker must say that same node. Only then is the
 * move constraint cleared: clearing it while a migration is in flight let Pacemaker start the VM
 * on the source while the migrated copy kept running on the target.
 */
export async function settleCancelledMove(
  pool: SshPool,
  nodes: readonly NodeTarget[],
  vm: { resource: string; domain: string },
  context: CommandContext = {},
): Promise<Result<{ node: string }>> {
  const scoped = { ...context, vm: vm.resource };
  const [located, status] = await Promise.all([
    locateDomain(pool, nodes, { name: vm.domain }, scoped),
    readClusterStatusFromAny(pool, nodes, scoped),
  ]);
  if (!located.ok) return located;
  if (!status.ok) return status;
  const running = located.value.filter((s) => isDomainActive(s.domain)).map((s) => s.node);
  const placed = status.value.resources.find((r) => r.id === vm.resource)?.nodes ?? [];
  const [node] = running;
  if (running.length !== 1 || placed.length !== 1 || placed[0] !== node || !node) {
    return err(
      new AppError(
        "CONFLICT",
        `After the cancel ${vm.domain} runs on ${running.join(", ") || "no node"} by libvirt and on ${placed.join(", ") || "no node"} by Pacemaker: the move constraint is kept until that is resolved.`,
      ),
    );
  }
  const source = nodes.find((candidate) => candidate.id === node) ?? nodes[0];
  if (!source) return err(new AppError("NOT_FOUND", "No node to run pcs on."));
  const cleared = await runResourceAction(pool, source, "clear", { vm: vm.resource }, scoped);
  return cleared.ok ? ok({ node }) : cleared;
}
