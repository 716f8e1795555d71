import { CLIENT_ADDRESS_HEADER, resolveClientAddress } from "../auth/client-address.ts";
import type { CorralServer } from "../server.ts";
import { AUTH_BODY_LIMIT, withinBodyLimit } from "./request-guards.ts";

/**
 * The only better-auth endpoints served over HTTP: what the sign-in page and the sign-out button
 * use. The rest (its admin plugin's role, password, ban and impersonation endpoints, password
 * and profile changes) would bypass Corral's rules and its command log; Corral's procedures
 * call better-auth's server API for those instead.
 */
const SERVED_ENDPOINTS = new Set([
  "POST /api/auth/sign-in/email",
  "POST /api/auth/sign-out",
  "GET /api/auth/get-session",
]);

/**
 * Serves better-auth's HTTP endpoints (app/api/auth/[...all]). `peerAddress` is the address of
 * the connection the request came on (null when the web server could not tell): better-auth
 * sees the client address Corral resolved from it, never one the request claims for itself.
 */
export async function handleAuthRequest(
  server: Pick<CorralServer, "auth" | "trustedProxies">,
  request: Request,
  peerAddress: string | null,
): Promise<Response> {
  const endpoint = `${request.method} ${new URL(request.url).pathname.replace(/\/+$/, "")}`;
  if (!SERVED_ENDPOINTS.has(endpoint)) {
    return Response.json({ message: "Not found" }, { status: 404 });
  }
  const bounded = await withinBodyLimit(request, AUTH_BODY_LIMIT);
  if (bounded instanceof Response) return bounded;
  const headers = new Headers(request.headers);
  headers.delete(CLIENT_ADDRESS_HEADER);
  const client = resolveClientAddress(
    peerAddress,
    request.headers.get("x-forwarded-for"),
    server.trustedProxies,
  );
  if (client) headers.set(CLIENT_ADDRESS_HEADER, client);
  return server.auth.handler(new Request(bounded, { headers }));
}
