import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { type FindingKind, type HostKey, sealCredentials } from "@corral/core";
import { SMTPServer } from "smtp-server";
import type { TestServer } from "./test-server.ts";

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

/** An email channel's settings for this sink: plain SMTP, no authentication. */
export function sinkSettings(sink: SmtpSink, to: string) {
  return {
    host: sink.host,
    port: sink.port,
    security: "none" as const,
    username: null,
    from: "corral@example.test",
    to: [to],
  };
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

/** Waits until `check` holds (polling), or fails naming `what`. */
export async function eventually(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 20_000,
) {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * As an admin: a webhook channel to `hook` (signed with `secret`), an email channel to `smtp`,
 * and one rule sending the findings of `kinds` to both.
 */
export async function notifySinks(
  admin: Awaited<ReturnType<TestServer["caller"]>>,
  sinks: { hook: WebhookReceiver; smtp: SmtpSink; secret: string },
  rule: { name: string; kinds: FindingKind[] },
): Promise<void> {
  const hook = await admin.notifications.saveChannel({
    name: "hook",
    type: "webhook",
    enabled: true,
    secret: sinks.secret,
    settings: { url: sinks.hook.url },
  });
  const mail = await admin.notifications.saveChannel({
    name: "mail",
    type: "email",
    enabled: true,
    settings: sinkSettings(sinks.smtp, "oncall@example.test"),
  });
  await admin.notifications.saveRule({
    ...rule,
    enabled: true,
    minSeverity: "info",
    clusterIds: [],
    channelIds: [hook.id, mail.id],
  });
}

/** Registers a cluster of reachable nodes (lab or fake) in the server, sealing each key. */
export async function registerNodes(
  server: TestServer["server"],
  cluster: { id: string; name: string },
  nodes: readonly {
    name: string;
    host: string;
    port: number;
    username: string;
    privateKey: string;
    hostKey: HostKey;
  }[],
): Promise<void> {
  const { credentialKey, registry } = server.clusterServices;
  await registry.registerCluster(
    cluster,
    nodes.map((node) => ({
      id: `id-${node.name}`,
      name: node.name,
      host: node.host,
      port: node.port,
      username: node.username,
      hostKey: node.hostKey,
      sealed: sealCredentials(
        { username: node.username, privateKey: node.privateKey },
        credentialKey,
        `id-${node.name}`,
      ),
      agentVersion: null,
      versions: null,
      lastSeenAt: null,
    })),
  );
}
