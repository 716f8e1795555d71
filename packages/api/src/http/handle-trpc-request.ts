import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { resolveClientAddress } from "../auth/client-address.ts";
import { appRouter } from "../routers/app.router.ts";
import type { CorralServer } from "../server.ts";
import { createContext } from "../trpc.ts";
import { fromAllowedOrigin, TRPC_BODY_LIMIT, withinBodyLimit } from "./request-guards.ts";

/**
 * Serves tRPC (app/api/trpc/[trpc]); `peerAddress` as for handleAuthRequest. Mutations are POSTs: one from another site's page is
 * refused before any procedure runs, whatever cookies it carries, and no body is read past
 * TRPC_BODY_LIMIT.
 */
export async function handleTrpcRequest(
  server: CorralServer,
  request: Request,
  peerAddress: string | null,
): Promise<Response> {
  if (request.method === "POST") {
    const allowed = new Set([server.config.baseUrl, ...server.config.trustedOrigins]);
    if (!fromAllowedOrigin(request, allowed)) {
      return Response.json({ message: "Cross-site request refused." }, { status: 403 });
    }
  }
  const bounded = await withinBodyLimit(request, TRPC_BODY_LIMIT);
  if (bounded instanceof Response) return bounded;
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req: bounded,
    router: appRouter,
    createContext: () =>
      createContext(server, bounded.headers, {
        clientAddress: resolveClientAddress(
          peerAddress,
          request.headers.get("x-forwarded-for"),
          server.trustedProxies,
        ),
      }),
    onError({ error, path }) {
      if (error.code === "INTERNAL_SERVER_ERROR") {
        server.logger.error({ err: error.cause ?? error, path }, "tRPC procedure failed");
      }
    },
  });
}
