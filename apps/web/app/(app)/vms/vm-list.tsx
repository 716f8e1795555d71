"use client";

import { useQuery } from "@tanstack/react-query";
import dynamic from "next/dynamic";
import { memo, useMemo, useState } from "react";
import { Button } from "@/components/button.tsx";
import { useCan } from "@/components/current-user.tsx";
import { EmptyState } from "@/components/empty-state.tsx";
import { ErrorBanner } from "@/components/error-banner.tsx";
import { CheckboxField } from "@/components/field.tsx";
import { VmCard } from "@/components/vm-card.tsx";
import { useTRPC } from "@/lib/trpc.tsx";
import type { Inventory, InventoryVm, VmActivity } from "@/lib/trpc-types.ts";
import { useInventories } from "@/lib/use-inventories.ts";
import { matchesFilter, NO_FILTER, stateOf, type VmFilter } from "@/lib/vm-filter.ts";
import { ClusterNodeControls } from "./cluster-node-controls.tsx";

// Loaded once the page is up (the first-load budget): the button comes a moment later.
const BulkActions = dynamic(() => import("./bulk-actions.tsx").then((m) => m.BulkActions));

import { VmActionsPanel } from "./vm-actions/vm-actions-panel.tsx";

/** Cards per page of each group: a page of a few thousand VMs renders as fast as one of ten. */
const PAGE_SIZE = 60;

const FIELD =
  "rounded-md border border-slate-300 bg-white px-2 py-1 dark:border-slate-700 dark:bg-slate-900";

export function VmList() {
  const { inventories, error, isLoading } = useInventories();
  const [filter, setFilter] = useState<VmFilter>(NO_FILTER);
  const total = inventories?.reduce((sum, inventory) => sum + inventory.vms.length, 0) ?? 0;
  return (
    <div className="space-y-6">
      <ErrorBanner error={error} />
      {!isLoading && total === 0 ? (
        <EmptyState title="No VMs to show" testId="empty-vms">
          <p>VMs appear here once a cluster is registered on the Clusters and nodes page.</p>
          <p>A VM that Pacemaker does not manage yet can then be onboarded from its card.</p>
        </EmptyState>
      ) : null}
      {total > 0 && inventories ? (
        <VmFilterBar inventories={inventories} filter={filter} onChange={setFilter} />
      ) : null}
      {inventories?.map((inventory) => (
        <ClusterVms key={inventory.clusterId} inventory={inventory} filter={filter} />
      ))}
    </div>
  );
}

function VmFilterBar({
  inventories,
  filter,
  onChange,
}: {
  inventories: Inventory[];
  filter: VmFilter;
  onChange: (filter: VmFilter) => void;
}) {
  const { states, nodes } = useMemo(() => {
    const states = new Set<string>();
    const nodes = new Set<string>();
    for (const inventory of inventories) {
      for (const vm of inventory.vms) states.add(stateOf(vm));
      for (const node of inventory.nodes) nodes.add(node.name);
    }
    return { states: [...states].sort(), nodes: [...nodes].sort() };
  }, [inventories]);
  const set = (change: Partial<VmFilter>) => onChange({ ...filter, ...change });
  return (
    <search className="flex flex-wrap items-center gap-3 text-sm" data-testid="vm-filters">
      <input
        type="search"
        placeholder="Search by name or resource"
        aria-label="Search VMs"
        data-testid="vm-search"
        className={`${FIELD} w-64`}
        value={filter.text}
        onChange={(event) => set({ text: event.target.value })}
      />
      <FilterSelect
        label="State"
        testId="vm-filter-state"
        value={filter.state}
        any="Any state"
        options={states.map((state) => [state, state === "unmanaged" ? "Not managed yet" : state])}
        onChange={(state) => set({ state })}
      />
      <FilterSelect
        label="Node"
        testId="vm-filter-node"
        value={filter.node}
        any="Any node"
        options={nodes.map((node) => [node, node])}
        onChange={(node) => set({ node })}
      />
      {(
        [
          ["failed", "Failed"],
          ["constraint", "With constraints"],
          ["drift", "Config drift"],
        ] as const
      ).map(([key, label]) => (
        <CheckboxField
          key={key}
          className="flex items-center gap-1"
          testId={`vm-filter-${key}`}
          checked={filter[key]}
          onCheckedChange={(checked) => set({ [key]: checked })}
        >
          {label}
        </CheckboxField>
      ))}
    </search>
  );
}

function FilterSelect({
  label,
  testId,
  value,
  any,
  options,
  onChange,
}: {
  label: string;
  testId: string;
  value: string;
  /** The first choice, which matches everything. */
  any: string;
  /** [value, what it reads] */
  options: [string, string][];
  onChange: (value: string) => void;
}) {
  return (
    <select
      aria-label={label}
      data-testid={testId}
      className={FIELD}
      value={value}
      onChange={(event) => onChange(event.target.value)}
    >
      <option value="">{any}</option>
      {options.map(([option, text]) => (
        <option key={option} value={option}>
          {text}
        </option>
      ))}
    </select>
  );
}

function ClusterVms({ inventory, filter }: { inventory: Inventory; filter: VmFilter }) {
  const trpc = useTRPC();
  const activity = useQuery({
    ...trpc.vms.activity.queryOptions({ clusterId: inventory.clusterId }),
    // Locks and migrations change with operations, which the cards follow closely while any runs.
    refetchInterval: (query) =>
      query.state.data?.locks.length || query.state.data?.migrations.length ? 2_000 : 10_000,
  });
  const groups = useMemo(() => {
    const shown = inventory.vms.filter((vm) => matchesFilter(vm, filter));
    return [
      {
        title: "Managed by Pacemaker",
        vms: shown.filter((vm) => vm.resource),
        testId: "vms-managed",
      },
      {
        title: "Not managed yet",
        vms: shown.filter((vm) => !vm.resource),
        testId: "vms-unmanaged",
      },
    ];
  }, [inventory.vms, filter]);
  // Each node's state and whether its libvirt answers: what the cards' migration targets need.
  const nodeStates = inventory.nodes
    .map((node) => `${node.name}=${node.state}${node.libvirt?.up === false ? "/libvirt-down" : ""}`)
    .join(",");
  return (
    <section data-testid="vm-cluster" data-cluster={inventory.clusterName} className="space-y-4">
      <h2 className="text-lg font-semibold">{inventory.clusterName}</h2>
      <ClusterNodeControls
        inventory={inventory}
        nodeStates={nodeStates}
        busy={
          (activity.data?.locks.length ?? 0) > 0 ||
          (activity.data?.migrations.some((migration) => migration.state === "running") ?? false)
        }
      />
      <BulkActions inventory={inventory} shown={groups[0]?.vms ?? []} />
      {groups.map((group) => (
        <VmGroup
          // A new filter starts every group on its first page.
          key={`${group.testId}:${JSON.stringify(filter)}`}
          {...group}
          clusterId={inventory.clusterId}
          nodeStates={nodeStates}
          activity={activity.data}
        />
      ))}
    </section>
  );
}

function VmGroup({
  title,
  testId,
  vms,
  clusterId,
  nodeStates,
  activity,
}: {
  title: string;
  testId: string;
  vms: InventoryVm[];
  clusterId: string;
  nodeStates: string;
  activity: VmActivity | undefined;
}) {
  const canOnboard = useCan("operator");
  const [page, setPage] = useState(0);
  const pages = Math.max(1, Math.ceil(vms.length / PAGE_SIZE));
  const current = Math.min(page, pages - 1);
  const shown = vms.slice(current * PAGE_SIZE, (current + 1) * PAGE_SIZE);
  return (
    <div data-testid={testId} data-count={vms.length} className="space-y-2">
      <h3 className="text-sm font-medium text-slate-600 dark:text-slate-400">
        {title} ({vms.length})
      </h3>
      <div className="grid gap-3 md:grid-cols-2 xl:grid-cols-3">
        {shown.map((vm) => (
          <VmListCard
            key={vm.name}
            vm={vm}
            clusterId={clusterId}
            canOnboard={canOnboard}
            nodeStates={nodeStates}
            activity={activity}
          />
        ))}
      </div>
      {pages > 1 ? (
        <nav className="flex items-center gap-3 text-sm" aria-label={`${title} pages`}>
          <Button
            variant="secondary"
            className="px-2 py-1 text-xs"
            data-testid="vms-page-previous"
            disabled={current === 0}
            onClick={() => setPage(current - 1)}
          >
            Previous
          </Button>
          <span data-testid="vms-page" data-page={current + 1} data-pages={pages}>
            Page {current + 1} of {pages}
          </span>
          <Button
            variant="secondary"
            className="px-2 py-1 text-xs"
            data-testid="vms-page-next"
            disabled={current === pages - 1}
            onClick={() => setPage(current + 1)}
          >
            Next
          </Button>
        </nav>
      ) : null}
    </div>
  );
}

/** Re-renders only when its VM changed: the live stream keeps unchanged VMs the same objects. */
const VmListCard = memo(function VmListCard({
  vm,
  clusterId,
  canOnboard,
  nodeStates,
  activity,
}: {
  vm: InventoryVm;
  clusterId: string;
  canOnboard: boolean;
  nodeStates: string;
  activity: VmActivity | undefined;
}) {
  return (
    <VmCard vm={vm} clusterId={clusterId} canOnboard={canOnboard}>
      {vm.resource ? (
        <VmActionsPanel vm={vm} clusterId={clusterId} nodeStates={nodeStates} activity={activity} />
      ) : null}
    </VmCard>
  );
});
