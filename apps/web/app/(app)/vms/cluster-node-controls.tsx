"use client";

import { useQuery } from "@tanstack/react-query";
import { useCan } from "@/components/current-user.tsx";
import { useTRPC } from "@/lib/trpc.tsx";
import type { Inventory } from "@/lib/trpc-types.ts";
import { MigrationHistory } from "./migration-history.tsx";
import { NodeStandbyButton } from "./vm-actions/node-standby-button.tsx";

/** Per cluster: drain a node (standby moves its VMs away) or take it back, and the history. */
export function ClusterNodeControls({ inventory }: { inventory: Inventory }) {
  const trpc = useTRPC();
  const canAct = useCan("operator");
  const commands = useQuery({
    ...trpc.vms.nodeCommands.queryOptions({ clusterId: inventory.clusterId }),
    enabled: canAct,
  });
  return (
    <div className="space-y-2 text-sm">
      {canAct && commands.data ? (
        <div className="flex flex-wrap items-start gap-2" data-testid="node-controls">
          {inventory.nodes.map((node) => (
            <NodeStandbyButton
              key={node.name}
              clusterId={inventory.clusterId}
              node={node.name}
              standby={node.state === "standby"}
              command={
                commands.data[node.name]?.[node.state === "standby" ? "unstandby" : "standby"] ?? ""
              }
              stranded={commands.data[node.name]?.stranded ?? []}
              onOpen={() => void commands.refetch()}
            />
          ))}
        </div>
      ) : null}
      <MigrationHistory clusterId={inventory.clusterId} />
    </div>
  );
}
