import { type FindingKind, type HostKey, sealCredentials } from "@corral/core";
import type { SmtpSink, WebhookReceiver } from "@corral/lab/receivers";
import type { TestServer } from "./test-server.ts";

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
