import { getCorralServer, handleTrpcRequest } from "@corral/api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

async function handler(request: Request) {
  return handleTrpcRequest(await getCorralServer(), request);
}

export { handler as GET, handler as POST };
