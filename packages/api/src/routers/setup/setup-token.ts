import { createHmac, timingSafeEqual } from "node:crypto";
import { isIP } from "node:net";

/**
 * The token that creates the first admin from another machine, printed in the server log while
 * no operator exists. Derived from the auth secret, so every layer and restart prints the same
 * one, and worth nothing once the first admin exists.
 */
export function firstAdminSetupToken(authSecret: string): string {
  return createHmac("sha256", authSecret)
    .update("corral first-admin setup")
    .digest("hex")
    .slice(0, 32);
}

export function isSetupToken(candidate: string | undefined, authSecret: string): boolean {
  const expected = Buffer.from(firstAdminSetupToken(authSecret));
  const given = Buffer.from(candidate ?? "");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Only someone on Corral's own machine may create the first admin without the token: whoever
 * reaches a fresh server from elsewhere first would otherwise own it.
 */
export function needsSetupToken(clientAddress: string | null): boolean {
  if (!clientAddress) return true;
  if (isIP(clientAddress) === 4) return !clientAddress.startsWith("127.");
  return clientAddress !== "::1";
}
