"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import dynamic from "next/dynamic";
import { useEffect, useRef, useState } from "react";
import { Button } from "@/components/button.tsx";
import { useCan } from "@/components/current-user.tsx";
import { useTRPC } from "@/lib/trpc.tsx";
import type { Inventory, Maintenance } from "@/lib/trpc-types.ts";
import { MigrationHistory } from "./migration-history.tsx";
import { maintenanceActive, readEvery } from "./operation-records.ts";
import { NodeStandbyButton } from "./vm-actions/node-standby-button.tsx";
import { RunActionDialog } from "./vm-actions/run-action-dialog.tsx";

// Loaded once the page is up (the first-load budget).
const MaintenancePanel = dynamic(() =>
  import("./maintenance-panel.tsx").then((m) => m.MaintenancePanel),
);
const EvacuationPanels = dynamic(() =>
  import("./vm-actions/evacuation-panel.tsx").then((m) => m.EvacuationPanels),
);

/** The node a rolling maintenance has out now, if one runs. */
function maintenanceNode(latest: Maintenance | null | undefined): string | null {
  return maintenanceActive(latest) && latest
    ? (latest.state.nodes[latest.state.current] ?? null)
    : null;
}

type ClusterAction = "maintenance-on" | "maintenance-off" | "cleanup-all";

const CLUSTER_ACTIONS: Record<ClusterAction, { label: string; warning: string }> = {
  "maintenance-on": {
    label: "Turn maintenance mode on",
    warning:
      "Pacemaker then neither starts, stops, moves nor monitors any resource: a VM that fails stays down until maintenance mode is off again.",
  },
  "maintenance-off": {
    label: "Turn maintenance mode off",
    warning:
      "Pacemaker probes every resource again and acts on what it finds: a VM started or stopped by hand meanwhile is put back where the cluster wants it.",
  },
  "cleanup-all": {
    label: "Clean up all failures",
    warning:
      "Forgets every resource's failures and fail counts: Pacemaker then tries again where it had given up, including nodes it had banned after failures.",
  },
};

/**
 * Per cluster: its switches (maintenance mode, a cleanup of every failure), drain a node
 * (standby moves its VMs away) or take it back, what each drain did and bringing its VMs back,
 * and the history.
 */
export function ClusterNodeControls({
  inventory,
  nodeStates,
  busy,
}: {
  inventory: Inventory;
  /** Each node's name and state, as one string: a change reads the records at once. */
  nodeStates: string;
  /** Some VM of the cluster is locked or moving (the cluster's activity). */
  busy: boolean;
}) {
  const trpc = useTRPC();
  const canAct = useCan("operator");
  const [running, setRunning] = useState<ClusterAction | null>(null);
  const commands = useQuery({
    ...trpc.vms.controlCommands.queryOptions({ clusterId: inventory.clusterId }),
    enabled: canAct,
  });
  const maintenance = inventory.summary?.maintenanceMode ?? false;
  // The cluster's rolling maintenance, for its panel and for the node it has out: that node's
  // drain panel leaves bringing its VMs back to the maintenance.
  const latest = useQuery({
    ...trpc.maintenance.latest.queryOptions({ clusterId: inventory.clusterId }),
    refetchInterval: (query) => readEvery(busy || maintenanceActive(query.state.data)),
  });
  const maintained = maintenanceNode(latest.data);
  // A node changing state (standby, back online, lost) is what drains and rolling maintenance
  // do at their turns, here, in another tab or by another Corral: their records are read at
  // once instead of at their next pause.
  const queryClient = useQueryClient();
  const seen = useRef(nodeStates);
  const clusterId = inventory.clusterId;
  useEffect(() => {
    if (seen.current === nodeStates) return;
    seen.current = nodeStates;
    void queryClient.invalidateQueries(trpc.vms.evacuations.queryFilter({ clusterId }));
    void queryClient.invalidateQueries(trpc.maintenance.latest.queryFilter({ clusterId }));
  }, [nodeStates, clusterId, queryClient, trpc]);
  const offered: ClusterAction[] = [
    maintenance ? "maintenance-off" : "maintenance-on",
    ...(inventory.failedActions.length || inventory.vms.some((vm) => vm.resource?.failCounts.length)
      ? (["cleanup-all"] as const)
      : []),
  ];
  return (
    <div className="space-y-2 text-sm">
      {maintenance ? (
        <p
          data-testid="maintenance-reminder"
          className="font-medium text-amber-800 dark:text-amber-300"
        >
          {inventory.clusterName} is in maintenance mode: Pacemaker recovers nothing until it is
          turned off.
        </p>
      ) : null}
      {canAct && commands.data ? (
        <div className="flex flex-wrap items-start gap-2" data-testid="cluster-controls">
          {offered.map((action) => (
            <Button
              key={action}
              variant="secondary"
              className="px-2 py-1 text-xs"
              data-testid={`action-cluster-${action}`}
              onClick={() => setRunning(action)}
            >
              {CLUSTER_ACTIONS[action].label}
            </Button>
          ))}
          {inventory.nodes.map((node) => (
            <NodeStandbyButton
              key={node.name}
              clusterId={inventory.clusterId}
              node={node.name}
              standby={node.state === "standby"}
              outsidePacemaker={inventory.vms
                .filter((vm) => !vm.resource && vm.runningOn.includes(node.name))
                .map((vm) => vm.name)}
              command={
                commands.data.nodes[node.name]?.[
                  node.state === "standby" ? "unstandby" : "standby"
                ] ?? ""
              }
            />
          ))}
        </div>
      ) : null}
      {running && commands.data ? (
        <RunActionDialog
          title={`${CLUSTER_ACTIONS[running].label} on ${inventory.clusterName}`}
          command={commands.data.cluster[running]}
          input={{ kind: "cluster", clusterId: inventory.clusterId, action: running }}
          onClose={() => setRunning(null)}
        >
          <p className="text-amber-800 dark:text-amber-300">{CLUSTER_ACTIONS[running].warning}</p>
        </RunActionDialog>
      ) : null}
      <MaintenancePanel
        clusterId={inventory.clusterId}
        nodes={inventory.nodes}
        latest={{ data: latest.data, error: latest.error }}
      />
      <EvacuationPanels
        clusterId={inventory.clusterId}
        busy={busy}
        nodes={inventory.nodes}
        vms={inventory.vms}
        maintained={maintained}
      />
      <MigrationHistory clusterId={inventory.clusterId} />
    </div>
  );
}
