import type { InventoryVm, VmAlarm } from "./inventory.types.ts";

/** Roles in which Pacemaker is moving the VM: a second instance is expected for a moment. */
const TRANSITIONAL = new Set(["Migrating", "Starting", "Stopping"]);

/** The alarms of one VM, from every node's own libvirt and Pacemaker's placement. */
export function findVmAlarms(vm: Omit<InventoryVm, "alarms">): VmAlarm[] {
  const resource = vm.resource;
  if (!resource || TRANSITIONAL.has(resource.role)) return [];
  const alarms: VmAlarm[] = [];
  const outside = vm.runningOn.filter((node) => !resource.nodes.includes(node));
  if (vm.runningOn.length > 1) {
    alarms.push({
      kind: "double-run",
      nodes: vm.runningOn,
      message: `${vm.name} runs on ${vm.runningOn.join(" and ")} at once: both copies write to its disks.`,
      fix: [
        ...outside.map((node) => `ssh ${node} virsh destroy --domain ${vm.name}`),
        `pcs resource refresh ${resource.id}`,
      ],
    });
  } else if (outside.length > 0) {
    alarms.push({
      kind: "outside-pacemaker",
      nodes: outside,
      message: `${vm.name} runs on ${outside.join(", ")}, where Pacemaker says it is ${resource.nodes.length ? `on ${resource.nodes.join(", ")}` : resource.role}: it runs outside the cluster's control.`,
      fix: [`pcs resource refresh ${resource.id}`],
    });
  }
  const persistent = vm.placements.filter((p) => p.persistent).map((p) => p.node);
  if (persistent.length > 0) {
    alarms.push({
      kind: "persistent-definition",
      nodes: persistent,
      message: `${vm.name} is still defined (persistent) on ${persistent.join(", ")}: one virsh start or autostart there runs it beside Pacemaker.`,
      fix: persistent.map((node) => `ssh ${node} virsh undefine --keep-nvram --domain ${vm.name}`),
    });
  }
  return alarms;
}
