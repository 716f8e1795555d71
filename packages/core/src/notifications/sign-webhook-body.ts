import { createHmac } from "node:crypto";

/** The header a webhook receiver checks: the HMAC-SHA256 of the exact body bytes. */
export const WEBHOOK_SIGNATURE_HEADER = "X-Corral-Signature";

/** `sha256=<hex>` of `body` keyed with the channel's secret, as GitHub signs its webhooks. */
export function signWebhookBody(body: string, secret: string): string {
  return `sha256=${createHmac("sha256", secret).update(body, "utf8").digest("hex")}`;
}
