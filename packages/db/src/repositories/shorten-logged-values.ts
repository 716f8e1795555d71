import { cutForLog } from "@corral/core";

/**
 * Longest string kept per argv entry or action input value in the command log, in bytes. Every
 * viewer downloads the log page by page, so one request with megabyte-long values must not
 * become a megabyte row; what reached the node is bounded by quoteArgv, the log needs far less.
 */
export const LOGGED_VALUE_LIMIT = 4 * 1024;

/** A copy with every string longer than LOGGED_VALUE_LIMIT cut, at any depth. */
export function shortenLoggedValues(value: unknown): unknown {
  if (typeof value === "string") return cutForLog(value, LOGGED_VALUE_LIMIT);
  if (Array.isArray(value)) return value.map(shortenLoggedValues);
  if (value instanceof Date || value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, shortenLoggedValues(item)]),
  );
}
