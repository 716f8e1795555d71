import type { Inventory } from "@corral/core";

/**
 * The cluster at a glance: one column per node with the VMs running there; VMs defined but not
 * running anywhere sit below. Managed VMs are filled, the others outlined.
 */
export function ClusterTopology({ inventory }: { inventory: Inventory }) {
  const stopped = inventory.vms.filter((vm) => vm.runningOn.length === 0);
  return (
    <figure
      data-testid="cluster-topology"
      aria-label={`Topology of ${inventory.clusterName}`}
      className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900"
    >
      <div
        className="grid gap-3"
        style={{
          gridTemplateColumns: `repeat(${Math.max(inventory.nodes.length, 1)}, minmax(0, 1fr))`,
        }}
      >
        {inventory.nodes.map((node) => (
          <div
            key={node.id}
            data-testid="topology-node"
            data-node={node.name}
            className={`min-h-24 rounded-md border-2 p-2 ${
              node.state === "online"
                ? "border-green-500"
                : node.state === "standby" || node.state === "maintenance"
                  ? "border-amber-500"
                  : "border-red-500 border-dashed"
            }`}
          >
            <p className="mb-2 text-sm font-medium">
              {node.name}
              {node.isDc ? " · DC" : ""}
            </p>
            <ul className="flex flex-wrap gap-1">
              {inventory.vms
                .filter((vm) => vm.runningOn.includes(node.name))
                .map((vm) => (
                  <VmChip key={vm.name} name={vm.name} managed={vm.resource !== null} />
                ))}
            </ul>
          </div>
        ))}
      </div>
      {stopped.length ? (
        <div className="text-sm">
          <p className="mb-1 text-slate-600 dark:text-slate-400">Not running</p>
          <ul className="flex flex-wrap gap-1">
            {stopped.map((vm) => (
              <VmChip key={vm.name} name={vm.name} managed={vm.resource !== null} />
            ))}
          </ul>
        </div>
      ) : null}
      <figcaption className="text-xs text-slate-500">
        Filled: a Pacemaker resource. Outlined: not managed yet.
      </figcaption>
    </figure>
  );
}

function VmChip({ name, managed }: { name: string; managed: boolean }) {
  return (
    <li
      data-testid="topology-vm"
      data-vm={name}
      className={`rounded px-2 py-0.5 text-xs ${
        managed
          ? "bg-indigo-600 text-white"
          : "border border-indigo-400 text-indigo-700 dark:text-indigo-300"
      }`}
    >
      {name}
    </li>
  );
}
