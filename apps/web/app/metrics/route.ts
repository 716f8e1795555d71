import { getCorralServer, handleMetricsRequest } from "@corral/api";
import { peerAddressOf } from "@/lib/peer-address.ts";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Prometheus's scrape target, behind an API token (handleMetricsRequest). */
export async function GET(request: Request) {
  return handleMetricsRequest(await getCorralServer(), request, peerAddressOf(request));
}
