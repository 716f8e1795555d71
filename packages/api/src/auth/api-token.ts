import { createHash, randomBytes } from "node:crypto";
import type { ApiTokenRepository } from "@corral/db";
import type { CommandLogFeed } from "../command-log-feed.ts";

/** Every token starts so: a secret scanner (and a reader) can tell what it is. */
const TOKEN_PREFIX = "corral_";
/** How much of a token lists show, to tell tokens apart. */
const SHOWN_CHARACTERS = TOKEN_PREFIX.length + 6;

/** A new token: shown to its owner once; only its SHA-256 is stored. */
export function generateApiToken(): { token: string; tokenHash: string; prefix: string } {
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
  return { token, tokenHash: hashApiToken(token), prefix: token.slice(0, SHOWN_CHARACTERS) };
}

/**
 * A token carries 256 random bits, so a plain SHA-256 cannot be reversed or guessed: unlike a
 * password it needs no slow hash, and a lookup by hash stays one indexed query per request.
 */
function hashApiToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** The token of an `Authorization: Bearer corral_...` header, if the request carries one. */
function bearerToken(headers: Headers): string | null {
  const match = /^Bearer\s+(corral_[A-Za-z0-9_-]+)\s*$/.exec(headers.get("authorization") ?? "");
  return match?.[1] ?? null;
}

/**
 * Who a request's API token acts as, with the owner's role now; null without a valid one. Every
 * use is written to the command log (`api-token.use`): a valid token as its owner's action, a
 * revoked or unknown one as a failed anonymous one. `recheck`: a live stream asking whether its
 * token still stands, which is the same use going on, not a new one.
 */
export async function authenticateApiToken(
  parts: { apiTokens: ApiTokenRepository; commandLog: CommandLogFeed },
  headers: Headers,
  use: { what: string; clientAddress: string | null; recheck?: boolean },
): Promise<{ id: string; name: string; email: string; role: string } | null> {
  const token = bearerToken(headers);
  if (!token) return null;
  const startedAt = new Date();
  const holder = await parts.apiTokens.use(hashApiToken(token), startedAt);
  if (use.recheck) return holder?.user ?? null;
  await parts.commandLog.recordAction({
    actorId: holder?.user.id ?? null,
    actorName: holder?.user.email ?? null,
    action: "api-token.use",
    detail: {
      id: holder?.tokenId ?? null,
      name: holder?.tokenName ?? null,
      shown: token.slice(0, SHOWN_CHARACTERS),
      what: use.what,
      address: use.clientAddress,
    },
    ok: holder !== null,
    error: holder ? undefined : "Unknown or revoked API token, or its owner is disabled.",
    startedAt,
    durationMs: Date.now() - startedAt.getTime(),
  });
  return holder?.user ?? null;
}
