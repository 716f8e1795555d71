import { appRouter, createContext, getCorralServer } from "@corral/api";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

async function handler(request: Request) {
  const server = await getCorralServer();
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req: request,
    router: appRouter,
    createContext: () => createContext(server, request.headers),
    onError({ error, path }) {
      if (error.code === "INTERNAL_SERVER_ERROR") {
        server.logger.error({ err: error.cause ?? error, path }, "tRPC procedure failed");
      }
    },
  });
}

export { handler as GET, handler as POST };
