"use client";

import type { Inventory } from "@corral/core";
import {
  applyInventoryDelta,
  type InventoryFeedMessage,
  reviveFeedMessage,
} from "@corral/core/inventory-delta";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useMemo } from "react";
import { useTRPC } from "@/lib/trpc.tsx";

/** What the page holds per cluster: the inventory and the version it is at. */
type Held = Map<string, { version: number; inventory: Inventory }>;

const heldKey = ["corral", "live-inventories"] as const;

/**
 * Every registered cluster's live inventory from one SSE stream: each cluster whole on
 * connect, then only what changed (InventoryFeedMessage). A delta that does not follow the
 * version held (a message lost) restarts the stream, which starts with snapshots again. Pages
 * never poll; unchanged VMs keep their objects, so only changed cards re-render.
 */
export function useInventories() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const held = useQuery({
    queryKey: heldKey,
    queryFn: (): Held | null => null,
    enabled: false,
    staleTime: Number.POSITIVE_INFINITY,
  });
  const live = useSubscription(
    trpc.clusters.live.subscriptionOptions(undefined, {
      onData: (encoded) => {
        const messages = (JSON.parse(encoded) as InventoryFeedMessage[]).map(reviveFeedMessage);
        const current = queryClient.getQueryData<Held | null>(heldKey);
        const next: Held = new Map(current ?? []);
        for (const message of messages) {
          if (message.kind === "removed") next.delete(message.clusterId);
          else if (message.kind === "snapshot") {
            next.set(message.clusterId, { version: message.version, inventory: message.inventory });
          } else {
            const have = next.get(message.clusterId);
            if (have?.version !== message.from) {
              live.reset();
              return;
            }
            next.set(message.clusterId, {
              version: message.version,
              inventory: applyInventoryDelta(have.inventory, message.delta),
            });
          }
        }
        queryClient.setQueryData(heldKey, next);
        // Pages that read the plain list (onboarding, test results) see the same inventories.
        queryClient.setQueryData(trpc.clusters.list.queryKey(), inventoriesOf(next));
      },
    }),
  );
  const inventories = useMemo(
    () => (held.data ? inventoriesOf(held.data) : undefined),
    [held.data],
  );
  return { inventories, error: live.error, isLoading: inventories === undefined && !live.error };
}

function inventoriesOf(held: Held): Inventory[] {
  return [...held.values()]
    .map((entry) => entry.inventory)
    .sort((a, b) => a.clusterName.localeCompare(b.clusterName));
}
