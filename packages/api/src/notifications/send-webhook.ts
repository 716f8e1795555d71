import {
  type NotificationMessage,
  signWebhookBody,
  WEBHOOK_SIGNATURE_HEADER,
  type WebhookSettings,
} from "@corral/core";
import type { SendOutcome } from "./send-outcome.ts";

const TIMEOUT_MS = 10_000;
const KEPT_RESPONSE = 2_000;

/**
 * POSTs the message's JSON, signed with the channel's secret, and reads the answer: any 2xx is
 * delivered; anything else, or no answer within 10 s, is a failed attempt.
 */
export async function sendWebhook(
  settings: WebhookSettings,
  secret: string | null,
  body: string,
  message: Pick<NotificationMessage, "id" | "event">,
): Promise<SendOutcome> {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "user-agent": "Corral",
    "x-corral-event": message.event,
    "x-corral-delivery": message.id,
  };
  if (secret) headers[WEBHOOK_SIGNATURE_HEADER] = signWebhookBody(body, secret);
  try {
    const response = await fetch(settings.url, {
      method: "POST",
      headers,
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    const text = (await response.text()).slice(0, KEPT_RESPONSE);
    return {
      ok: response.ok,
      responseCode: response.status,
      response: text,
      error: response.ok ? null : `HTTP ${response.status} ${response.statusText}`.trim(),
    };
  } catch (error) {
    const cause = (error as { cause?: { message?: string } }).cause?.message;
    return {
      ok: false,
      responseCode: null,
      response: null,
      error: [(error as Error).message, cause].filter(Boolean).join(": "),
    };
  }
}
