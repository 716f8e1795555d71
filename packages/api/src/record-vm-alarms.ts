import type { ClusterMonitor, Inventory } from "@corral/core";
import type { CommandLogFeed } from "./command-log-feed.ts";

/**
 * Writes each VM alarm to the command log when it appears and again when it resolves, from the
 * live inventories, so the log keeps what the banner showed (a double run, a copy outside
 * Pacemaker, a definition left on a node) after it is gone.
 */
export function recordVmAlarms(
  monitor: ClusterMonitor,
  commandLog: CommandLogFeed,
  signal: AbortSignal,
): Promise<void> {
  const open = new Map<string, Map<string, string>>();
  const record = (
    inventory: Inventory,
    vm: string,
    action: "vm.alarm" | "vm.alarm.resolved",
    detail: Record<string, unknown>,
    message: string,
  ) =>
    commandLog.recordAction({
      actorId: null,
      actorName: "Corral",
      action,
      clusterId: inventory.clusterId,
      vm,
      detail,
      ok: action === "vm.alarm.resolved",
      error: action === "vm.alarm" ? message : undefined,
      startedAt: new Date(),
      durationMs: 0,
    });
  const follow = async () => {
    for await (const inventory of monitor.changes(signal)) {
      const before = open.get(inventory.clusterId) ?? new Map<string, string>();
      const now = new Map<string, string>();
      for (const vm of inventory.vms) {
        for (const alarm of vm.alarms) {
          const key = `${vm.name}\u0000${alarm.kind}\u0000${alarm.nodes.join(",")}`;
          now.set(key, alarm.message);
          if (!before.has(key)) {
            await record(inventory, vm.name, "vm.alarm", { ...alarm }, alarm.message);
          }
        }
      }
      for (const [key, message] of before) {
        if (now.has(key)) continue;
        const [vm = "", kind = ""] = key.split("\u0000");
        await record(inventory, vm, "vm.alarm.resolved", { kind, was: message }, message);
      }
      open.set(inventory.clusterId, now);
    }
  };
  return follow();
}
