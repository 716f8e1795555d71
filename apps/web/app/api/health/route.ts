export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Liveness for scripts/up.sh and the e2e server wait: answers once Next serves requests. */
export function GET() {
  return Response.json({ ok: true });
}
