"use client";

import { useCan } from "@/components/current-user.tsx";
import { EmptyState } from "@/components/empty-state.tsx";
import { ErrorBanner } from "@/components/error-banner.tsx";
import { VmCard } from "@/components/vm-card.tsx";
import { useInventories } from "@/lib/use-inventories.ts";
import { ClusterNodeControls } from "./cluster-node-controls.tsx";
import { VmActionsPanel } from "./vm-actions-panel.tsx";

export function VmList() {
  const canOnboard = useCan("operator");
  const { inventories, error, isLoading } = useInventories();
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
      {inventories?.map((inventory) => {
        const managed = inventory.vms.filter((vm) => vm.resource);
        const unmanaged = inventory.vms.filter((vm) => !vm.resource);
        const nodeStates = inventory.nodes.map((node) => `${node.name}=${node.state}`).join(",");
        return (
          <section
            key={inventory.clusterId}
            data-testid="vm-cluster"
            data-cluster={inventory.clusterName}
            className="space-y-4"
          >
            <h2 className="text-lg font-semibold">{inventory.clusterName}</h2>
            <ClusterNodeControls inventory={inventory} />
            {[
              { title: "Managed by Pacemaker", vms: managed, testId: "vms-managed" },
              { title: "Not managed yet", vms: unmanaged, testId: "vms-unmanaged" },
            ].map((group) => (
              <div key={group.testId} data-testid={group.testId} className="space-y-2">
                <h3 className="text-sm font-medium text-slate-600 dark:text-slate-400">
                  {group.title} ({group.vms.length})
                </h3>
                <div className="grid gap-3 md:grid-cols-2 xl:grid-cols-3">
                  {group.vms.map((vm) => (
                    <VmCard
                      key={vm.name}
                      vm={vm}
                      clusterId={inventory.clusterId}
                      canOnboard={canOnboard}
                    >
                      {vm.resource ? (
                        <VmActionsPanel
                          vm={vm}
                          clusterId={inventory.clusterId}
                          nodeStates={nodeStates}
                        />
                      ) : null}
                    </VmCard>
                  ))}
                </div>
              </div>
            ))}
          </section>
        );
      })}
    </div>
  );
}
