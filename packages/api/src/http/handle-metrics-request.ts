import { authenticateApiToken } from "../auth/api-token.ts";
import { resolveClientAddress } from "../auth/client-address.ts";
import type { CorralServer } from "../server.ts";

/**
 * Serves `/metrics` to Prometheus: only with a valid API token (`Authorization: Bearer ...`,
 * Prometheus's `authorization` setting), whose every use the command log keeps; any role reads
 * it. `peerAddress` as for handleAuthRequest.
 */
export async function handleMetricsRequest(
  server: CorralServer,
  request: Request,
  peerAddress: string | null,
): Promise<Response> {
  const clientAddress = resolveClientAddress(
    peerAddress,
    request.headers.get("x-forwarded-for"),
    server.trustedProxies,
  );
  const holder = await authenticateApiToken(server, request.headers, {
    what: "metrics",
    clientAddress,
  });
  if (!holder) {
    return Response.json(
      { message: "Send an API token: Authorization: Bearer corral_..." },
      { status: 401, headers: { "www-authenticate": 'Bearer realm="corral"' } },
    );
  }
  const { contentType, body } = await server.metrics.render();
  return new Response(body, {
    headers: { "content-type": contentType, "cache-control": "no-store" },
  });
}
