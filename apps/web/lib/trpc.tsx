"use client";

import type { AppRouter } from "@corral/api";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink } from "@trpc/client";
import { createTRPCContext } from "@trpc/tanstack-react-query";
import { type ReactNode, useState } from "react";
import superjson from "superjson";

export const { TRPCProvider, useTRPC } = createTRPCContext<AppRouter>();

const url = "/api/trpc";

export function TRPCReactProvider({ children }: { children: ReactNode }) {
  const [queryClient] = useState(
    () =>
      new QueryClient({
        defaultOptions: { queries: { staleTime: 5_000, retry: false } },
      }),
  );
  const [trpcClient] = useState(() =>
    createTRPCClient<AppRouter>({
      links: [
        splitLink({
          // Live state (later: cluster and VM status) streams over server-sent events.
          condition: (op) => op.type === "subscription",
          true: httpSubscriptionLink({ url, transformer: superjson }),
          // Node refuses request headers past 16 KiB (HTTP 431): a batch whose URL would pass
          // the cap is split into several requests, so no request grows with the page.
          false: httpBatchLink({ url, transformer: superjson, maxURLLength: 4_000 }),
        }),
      ],
    }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}
