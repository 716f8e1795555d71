"use client";

import { applyInventoryDelta, decodeFeedMessages } from "@corral/core/inventory-delta";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { createContext, createElement, type ReactNode, useContext, useMemo } from "react";
import { useTRPC } from "@/lib/trpc.tsx";
import type { Inventory } from "@/lib/trpc-types.ts";

/** What the page holds per cluster: the inventory and the version it is at. */
type Held = Map<string, { version: number; inventory: Inventory }>;

const heldKey = ["corral", "live-inventories"] as const;

/**
 * Every registered cluster's live inventory from one SSE stream per tab: each cluster whole on
 * connect, then only what changed (InventoryFeedMessage). A delta that does not follow the
 * version held (a message lost) restarts the stream, which starts with snapshots again. Pages
 * never poll; unchanged VMs keep their objects, so only changed cards re-render.
 */
function useLiveStream(): LiveInventories {
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
        const messages = decodeFeedMessages(encoded);
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
  // The stream dropped (Corral restarting, the network) and is being opened again: the
  // EventSource's own error says only "Unknown error".
  const error = useMemo(
    () => (live.status === "connecting" && live.error ? new Error(CONNECTION_LOST) : live.error),
    [live.status, live.error],
  );
  return { inventories, error, isLoading: inventories === undefined && !error };
}

const CONNECTION_LOST =
  "The live connection to Corral was lost: reconnecting. Until it is back, the cards show what Corral last said.";

interface LiveInventories {
  inventories: Inventory[] | undefined;
  error: unknown;
  isLoading: boolean;
}

const LiveContext = createContext<LiveInventories | null>(null);

/** Holds the tab's one live stream; every page and the alarm banner read it. */
export function LiveInventoriesProvider({ children }: { children: ReactNode }) {
  return createElement(LiveContext.Provider, { value: useLiveStream() }, children);
}

/** The live inventories, from the LiveInventoriesProvider around the signed-in pages. */
export function useInventories(): LiveInventories {
  const live = useContext(LiveContext);
  if (!live) throw new Error("useInventories needs a LiveInventoriesProvider above it");
  return live;
}

function inventoriesOf(held: Held): Inventory[] {
  return [...held.values()]
    .map((entry) => entry.inventory)
    .sort((a, b) => a.clusterName.localeCompare(b.clusterName));
}
