/**
 * The address of the connection a request came on, as server.js recorded it under a header
 * name only this process knows. Null under `next start`/`next dev`, which do not record it:
 * then every client shares one sign-in rate-limit budget (safe, but coarse).
 */
export function peerAddressOf(request: Request): string | null {
  const header = (globalThis as Record<symbol, unknown>)[Symbol.for("corral.peerHeader")];
  if (typeof header !== "string") return null;
  return request.headers.get(header) || null;
}
