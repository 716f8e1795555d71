import type { Inventory } from "@/lib/trpc-types.ts";

/** VM chips shown per node (and for "Not running") before a "+N more": 32 nodes stay readable. */
const CHIPS = 24;

/**
 * The cluster at a glance: one box per node (as many per row as fit, so 32 nodes wrap instead
 * of shrinking to slivers) with the number of VMs running there and their names; VMs defined
 * but not running anywhere sit below. Managed VMs are filled, the others outlined.
 */
export function ClusterTopology({ inventory }: { inventory: Inventory }) {
  const stopped = inventory.vms.filter((vm) => vm.runningOn.length === 0);
  const byNode = new Map<string, Inventory["vms"]>();
  for (const vm of inventory.vms) {
    for (const node of vm.runningOn) byNode.set(node, [...(byNode.get(node) ?? []), vm]);
  }
  return (
    <figure
      data-testid="cluster-topology"
      aria-label={`Topology of ${inventory.clusterName}`}
      className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900"
    >
      <div
        className="grid gap-3"
        style={{ gridTemplateColumns: "repeat(auto-fill, minmax(11rem, 1fr))" }}
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
            <p className="mb-2 flex justify-between gap-2 text-sm font-medium">
              <span className="truncate">
                {node.name}
                {node.isDc ? " · DC" : ""}
              </span>
              <span className="text-xs text-slate-500" data-testid="topology-vm-count">
                {byNode.get(node.name)?.length ?? 0} VMs
              </span>
            </p>
            <VmChips vms={byNode.get(node.name) ?? []} />
          </div>
        ))}
      </div>
      {stopped.length ? (
        <div className="text-sm">
          <p className="mb-1 text-slate-600 dark:text-slate-400">Not running</p>
          <VmChips vms={stopped} />
        </div>
      ) : null}
      <figcaption className="text-xs text-slate-500">
        Filled: a Pacemaker resource. Outlined: not managed yet.
      </figcaption>
    </figure>
  );
}

function VmChips({ vms }: { vms: Inventory["vms"] }) {
  return (
    <ul className="flex flex-wrap gap-1">
      {vms.slice(0, CHIPS).map((vm) => (
        <VmChip key={vm.name} name={vm.name} managed={vm.resource !== null} />
      ))}
      {vms.length > CHIPS ? (
        <li className="px-1 text-xs text-slate-500" data-testid="topology-more">
          +{vms.length - CHIPS} more
        </li>
      ) : null}
    </ul>
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
