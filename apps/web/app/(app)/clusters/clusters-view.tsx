"use client";

import { useMutation } from "@tanstack/react-query";
import dynamic from "next/dynamic";
import { useState } from "react";
import { Button } from "@/components/button.tsx";
import { useCan } from "@/components/current-user.tsx";
import { EmptyState } from "@/components/empty-state.tsx";
import { ErrorBanner } from "@/components/error-banner.tsx";
import { useTRPC } from "@/lib/trpc.tsx";
import type { AddedNodes, Inventory } from "@/lib/trpc-types.ts";
import { useInventories } from "@/lib/use-inventories.ts";
import { ClusterTopology } from "./cluster-topology.tsx";
import { NodeCard } from "./node-card.tsx";

// Forms load after the page: their zod schemas (about 34 kB gzipped) stay out of the
// first-load JavaScript of every page (apps/web/scripts/check-first-load-js.mjs).
const AddClusterForm = dynamic(() =>
  import("./add-cluster-form.tsx").then((module) => module.AddClusterForm),
);
const AddMembersForm = dynamic(() =>
  import("./add-members-form.tsx").then((module) => module.AddMembersForm),
);

export function ClustersView() {
  const canAdd = useCan("operator");
  const { inventories, error, isLoading } = useInventories();
  const [offered, setOffered] = useState<AddedNodes | null>(null);

  return (
    <div className="space-y-6">
      <ErrorBanner error={error} />
      {offered && offered.otherMembers.length > 0 ? (
        <AddMembersForm added={offered} onDone={() => setOffered(null)} />
      ) : null}
      {inventories?.map((inventory) => (
        <ClusterSection key={inventory.clusterId} inventory={inventory} />
      ))}
      {!isLoading && inventories?.length === 0 ? (
        <EmptyState title="No cluster registered yet" testId="empty-clusters">
          <p>
            Corral reaches a cluster over SSH through any one of its nodes and discovers the rest.
            {canAdd ? " Add one below." : " Ask an operator to add one."}
          </p>
          <p>
            To try Corral now, <code>bash scripts/up.sh</code> starts the lab cluster on this
            machine and registers it.
          </p>
        </EmptyState>
      ) : null}
      {canAdd ? <AddClusterForm onAdded={setOffered} /> : null}
    </div>
  );
}

function ClusterSection({ inventory }: { inventory: Inventory }) {
  const trpc = useTRPC();
  const isAdmin = useCan("admin");
  const remove = useMutation(trpc.clusters.remove.mutationOptions());
  const summary = inventory.summary;
  return (
    <section data-testid="cluster" data-cluster={inventory.clusterName} className="space-y-3">
      <header className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h2 className="text-lg font-semibold">{inventory.clusterName}</h2>
          <p className="text-sm text-slate-600 dark:text-slate-400" data-testid="cluster-summary">
            {summary
              ? `${summary.quorate ? "Quorate" : "NO QUORUM"} · DC ${summary.dc ?? "none"} · ${inventory.vms.length} VMs${summary.maintenanceMode ? " · maintenance mode" : ""}${summary.stonithEnabled ? "" : " · fencing disabled"}`
              : (inventory.statusError ?? "Reading the cluster status…")}
          </p>
          <MigrationPathsLine check={inventory.migrationPaths} />
        </div>
        {isAdmin ? (
          <Button
            variant="danger"
            data-testid="action-remove-cluster"
            disabled={remove.isPending}
            onClick={() => {
              if (
                window.confirm(
                  `Stop managing cluster ${inventory.clusterName} in Corral? The cluster keeps running.`,
                )
              ) {
                remove.mutate({ clusterId: inventory.clusterId });
              }
            }}
          >
            Remove from Corral
          </Button>
        ) : null}
      </header>
      <ErrorBanner error={remove.error} />
      {inventory.failedActions.length ? (
        <ul
          className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200"
          data-testid="failed-actions"
        >
          {inventory.failedActions.map((action) => (
            <li key={`${action.resource}-${action.operation}-${action.node}`}>
              {action.resource} {action.operation} failed on {action.node}: {action.exitStatus}
              {action.exitReason ? ` (${action.exitReason})` : ""}
            </li>
          ))}
        </ul>
      ) : null}
      <ClusterTopology inventory={inventory} />
      <div className="grid gap-3 md:grid-cols-2 xl:grid-cols-3">
        {inventory.nodes.map((node) => (
          <NodeCard
            key={node.id}
            node={node}
            lastFenced={inventory.summary?.fenceHistory.find((event) => event.target === node.name)}
          />
        ))}
      </div>
    </section>
  );
}

/** What the periodic probe of every live-migration path found, in one line. */
function MigrationPathsLine({ check }: { check: Inventory["migrationPaths"] }) {
  if (!check) return null;
  const broken = new Set(check.failures.map((failure) => `${failure.from} → ${failure.to}`));
  const since = new Date(check.since).toLocaleTimeString();
  return (
    <p
      className={`text-sm ${broken.size ? "text-red-700 dark:text-red-400" : "text-slate-600 dark:text-slate-400"}`}
      data-testid="migration-paths"
    >
      {broken.size
        ? `Live migration fails on ${broken.size} of ${check.probed} paths: ${[...broken].join(", ")} (since ${since})`
        : `Live migration: all ${check.probed} paths between allowed nodes answer (since ${since})`}
      {check.complete ? "" : "; nodes that did not answer were not probed"}
    </p>
  );
}
