import { BlockList, isIP } from "node:net";

/**
 * The one header better-auth reads the client's address from (rate limit, sessions, the sign-in
 * log). Only Corral writes it: handleAuthRequest drops whatever a request brought under this name.
 */
export const CLIENT_ADDRESS_HEADER = "x-corral-client-address";

/** "::ffff:192.0.2.1" (an IPv4 client on a dual-stack socket) is 192.0.2.1. */
function plainAddress(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped?.[1] ?? address;
}

/** The configured trusted proxies (addresses or CIDR ranges, validated by loadConfig). */
export function trustedProxyList(proxies: readonly string[]): BlockList {
  const list = new BlockList();
  for (const proxy of proxies) {
    const [address = "", prefix] = proxy.split("/");
    const type = isIP(address) === 6 ? "ipv6" : "ipv4";
    if (prefix === undefined) list.addAddress(plainAddress(address), type);
    else list.addSubnet(address, Number(prefix), type);
  }
  return list;
}

function isTrusted(address: string, proxies: BlockList): boolean {
  const family = isIP(address);
  return family !== 0 && proxies.check(address, family === 6 ? "ipv6" : "ipv4");
}

/**
 * Who is on the other end: the connection's own address, unless that connection is a trusted
 * proxy; then X-Forwarded-For is read from the right (each proxy appends the address it saw),
 * skipping trusted proxies, and the first other address is the client. A header sent by anyone
 * else is ignored, so a client cannot pick its own address (and its own rate-limit bucket).
 * Null when the connection's address is unknown.
 */
export function resolveClientAddress(
  peer: string | null,
  forwardedFor: string | null,
  proxies: BlockList,
): string | null {
  if (!peer || isIP(plainAddress(peer)) === 0) return null;
  let client = plainAddress(peer);
  if (!isTrusted(client, proxies)) return client;
  const hops = (forwardedFor ?? "")
    .split(",")
    .map((hop) => plainAddress(hop.trim()))
    .filter(Boolean);
  for (const hop of hops.reverse()) {
    // A malformed hop ends the chain: what lies left of it cannot be believed.
    if (isIP(hop) === 0) break;
    client = hop;
    if (!isTrusted(hop, proxies)) break;
  }
  return client;
}
