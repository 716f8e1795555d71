import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

// The real local servers notification tests send to (api's integration tests and the e2e): a
// webhook receiver and an SMTP sink, each on 127.0.0.1 at a port the system picks.

/** One POST a webhook receiver took, and whether its signature matched the shared secret. */
interface ReceivedWebhook {
  at: number;
  headers: IncomingHttpHeaders;
  body: string;
  json: Record<string, unknown>;
  signatureValid: boolean;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  /** The status the next requests are answered with (200 until changed). */
  answer(status: number): void;
  close(): Promise<void>;
}

/**
 * A real HTTP server on 127.0.0.1 that takes webhooks and checks X-Corral-Signature itself (an
 * HMAC-SHA256 of the raw body under `secret`, compared in constant time), as a receiver would.
 */
export async function startWebhookReceiver(secret: string): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  let status = 200;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const raw = Buffer.concat(chunks);
      const expected = Buffer.from(
        `sha256=${createHmac("sha256", secret).update(raw).digest("hex")}`,
      );
      const given = Buffer.from(String(request.headers["x-corral-signature"] ?? ""));
      received.push({
        at: Date.now(),
        headers: request.headers,
        body: raw.toString("utf8"),
        json: JSON.parse(raw.toString("utf8")) as Record<string, unknown>,
        signatureValid: given.length === expected.length && timingSafeEqual(given, expected),
      });
      response.writeHead(status, { "content-type": "text/plain" });
      response.end(status < 300 ? "thanks" : "receiver down");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/corral`,
    received,
    answer(next) {
      status = next;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

interface ReceivedMail {
  from: string;
  to: string[];
  /** The whole message as the client sent it (headers and body). */
  raw: string;
}

export interface SmtpSink {
  host: string;
  port: number;
  received: ReceivedMail[];
  close(): Promise<void>;
}

/** A real SMTP server (smtp-server) on 127.0.0.1 that keeps every message it accepts. */
export async function startSmtpSink(): Promise<SmtpSink> {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          raw: Buffer.concat(chunks).toString("utf8"),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.server.address() as AddressInfo;
  return {
    host: "127.0.0.1",
    port,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
