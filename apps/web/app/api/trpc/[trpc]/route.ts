import { getCorralServer, handleTrpcRequest } from "@corral/api";
import { peerAddressOf } from "@/lib/peer-address.ts";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

async function handler(request: Request) {
  return handleTrpcRequest(await getCorralServer(), request, peerAddressOf(request));
}

export { handler as GET, handler as POST };
