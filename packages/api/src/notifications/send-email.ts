import { describeNotification, type EmailSettings, type NotificationMessage } from "@corral/core";
import nodemailer from "nodemailer";
import type { SendOutcome } from "./send-outcome.ts";

const TIMEOUT_MS = 15_000;

/** Sends the message as a plain-text email through the channel's SMTP server (nodemailer). */
export async function sendEmail(
  settings: EmailSettings,
  password: string | null,
  message: NotificationMessage,
): Promise<SendOutcome> {
  const transport = nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.security === "tls",
    requireTLS: settings.security === "starttls",
    ignoreTLS: settings.security === "none",
    auth: settings.username ? { user: settings.username, pass: password ?? "" } : undefined,
    connectionTimeout: TIMEOUT_MS,
    greetingTimeout: TIMEOUT_MS,
    socketTimeout: TIMEOUT_MS,
  });
  const { subject, text } = describeNotification(message);
  try {
    const info = await transport.sendMail({
      from: settings.from,
      to: settings.to,
      subject,
      text,
      headers: { "X-Corral-Event": message.event, "X-Corral-Delivery": message.id },
    });
    return {
      ok: true,
      responseCode: replyCode(info.response),
      response: info.response,
      error: null,
    };
  } catch (error) {
    const smtp = error as { responseCode?: number; response?: string; message: string };
    return {
      ok: false,
      responseCode: smtp.responseCode ?? null,
      response: smtp.response ?? null,
      error: smtp.message,
    };
  } finally {
    transport.close();
  }
}

/** "250 2.0.0 OK: queued" -> 250. */
function replyCode(response: string): number | null {
  const code = Number.parseInt(response, 10);
  return Number.isNaN(code) ? null : code;
}
