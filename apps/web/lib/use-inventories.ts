"use client";

import type { Inventory } from "@corral/core";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useTRPC } from "@/lib/trpc.tsx";

/**
 * Every registered cluster's live inventory: fetched once, then replaced by each snapshot the
 * server pushes over SSE (it sends one whenever a node reports a change), so pages never poll.
 */
export function useInventories() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.clusters.list.queryOptions());
  const live = useSubscription(
    trpc.clusters.live.subscriptionOptions(undefined, {
      onData: (inventories) => {
        queryClient.setQueryData(trpc.clusters.list.queryKey(), inventories as Inventory[]);
      },
    }),
  );
  return { inventories: list.data, error: list.error ?? live.error, isLoading: list.isLoading };
}
