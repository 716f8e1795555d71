import { getCorralServer, handleAuthRequest } from "@corral/api";
import { peerAddressOf } from "@/lib/peer-address.ts";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** better-auth's endpoints, with the client address Corral resolved from the connection. */
async function handler(request: Request) {
  const server = await getCorralServer();
  return handleAuthRequest(server, request, peerAddressOf(request));
}

export { handler as GET, handler as POST };
