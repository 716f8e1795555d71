/** The largest body a sign-in or sign-out request needs (an email and a 128-character password). */
export const AUTH_BODY_LIMIT = 16 * 1024;
/** The largest tRPC request body: a batch of inputs whose biggest fields are 64 KiB keys. */
export const TRPC_BODY_LIMIT = 1024 * 1024;

/**
 * The request with its body read into memory, or a 413 answer as soon as the body passes
 * `limit` bytes (by its Content-Length, or while it streams in): a 64 MB password once grew the
 * server by 250 MB before anything looked at it.
 */
export async function withinBodyLimit(
  request: Request,
  limit: number,
): Promise<Request | Response> {
  if (!request.body) return request;
  const tooLarge = () =>
    Response.json({ message: `The request body is larger than ${limit} bytes.` }, { status: 413 });
  if (Number(request.headers.get("content-length") ?? 0) > limit) {
    await request.body.cancel().catch(() => {});
    return tooLarge();
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      return tooLarge();
    }
    chunks.push(value);
  }
  return new Request(request, { body: Buffer.concat(chunks) });
}

/**
 * Whether a state-changing request comes from Corral's own pages: the Origin a browser sends
 * with every POST is Corral's (or a trusted one). Without an Origin it is not a browser's
 * cross-site request unless Sec-Fetch-Site says so.
 */
export function fromAllowedOrigin(request: Request, allowedOrigins: ReadonlySet<string>): boolean {
  const origin = request.headers.get("origin");
  if (origin !== null) return allowedOrigins.has(origin);
  const site = request.headers.get("sec-fetch-site");
  return site === null || site === "same-origin" || site === "none";
}
