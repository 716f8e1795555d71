import type { OperationRecord } from "../inventory/parse-operation-history.ts";
import type { Inventory } from "./inventory.types.ts";

/** A managed VM that Pacemaker now runs on another single node than before. */
export interface PacemakerMove {
  vm: string;
  resource: string;
  from: string;
  to: string;
}

/**
 * Moves between two inventories of one cluster: a resource Started on exactly one node, then
 * Started on exactly one other node. Whoever caused it (a failover, a standby, Corral's own
 * move), Pacemaker made it; the caller leaves out what Corral's operations already record.
 */
export function detectPacemakerMoves(
  previous: Pick<Inventory, "vms">,
  current: Pick<Inventory, "vms">,
): PacemakerMove[] {
  const placed = (inventory: Pick<Inventory, "vms">) =>
    new Map(
      inventory.vms.flatMap((vm) =>
        vm.resource?.role === "Started" && vm.resource.nodes.length === 1
          ? [[vm.resource.id, { vm: vm.name, node: vm.resource.nodes[0] ?? "" }] as const]
          : [],
      ),
    );
  const before = placed(previous);
  const moves: PacemakerMove[] = [];
  for (const [resource, now] of placed(current)) {
    const was = before.get(resource);
    if (was && was.node !== now.node)
      moves.push({ vm: now.vm, resource, from: was.node, to: now.node });
  }
  return moves;
}

/**
 * Live or not, from the target's own record: the newest of migrate_from and start there. A start
 * (failover, recovery, a move without allow-migrate) rebooted the guest.
 */
export function movedLive(
  history: readonly OperationRecord[],
  resource: string,
  to: string,
): boolean {
  const newest = history
    .filter((op) => op.resource === resource && op.node === to && op.rc === 0)
    .filter((op) => op.task === "migrate_from" || op.task === "start")
    .sort((a, b) => b.call - a.call)[0];
  return newest?.task === "migrate_from";
}
