import type { CorralServer } from "../server.ts";
import { CLIENT_ADDRESS_HEADER, resolveClientAddress } from "./client-address.ts";

/**
 * Serves better-auth's HTTP endpoints (app/api/auth/[...all]). `peerAddress` is the address of
 * the connection the request came on (null when the web server could not tell): better-auth
 * sees the client address Corral resolved from it, never one the request claims for itself.
 */
export function handleAuthRequest(
  server: Pick<CorralServer, "auth" | "trustedProxies">,
  request: Request,
  peerAddress: string | null,
): Promise<Response> {
  const headers = new Headers(request.headers);
  headers.delete(CLIENT_ADDRESS_HEADER);
  const client = resolveClientAddress(
    peerAddress,
    request.headers.get("x-forwarded-for"),
    server.trustedProxies,
  );
  if (client) headers.set(CLIENT_ADDRESS_HEADER, client);
  return server.auth.handler(new Request(request, { headers }));
}
