import { randomBytes } from "node:crypto";
import type { FindingObservation, ObservedFinding } from "@corral/core";
import { ClusterRepository, FindingRepository } from "@corral/db";
import { createTestDatabase, TEST_PROVIDERS } from "@corral/db/testing";
import {
  type SmtpSink,
  startSmtpSink,
  startWebhookReceiver,
  type WebhookReceiver,
} from "@corral/lab/receivers";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, sinkSettings } from "../testing/notification-receivers.ts";
import { createTestServer, type TestServer } from "../testing/test-server.ts";
import { NotificationService } from "./notification-service.ts";

const SECRET = "webhook-shared-secret-42";

const fencing: ObservedFinding = {
  kind: "fencing-disabled",
  vm: null,
  node: null,
  severity: "critical",
  summary: "Fencing is disabled on lab (stonith-enabled=false).",
  why: "A hung node cannot be shut out.",
  fix: ["pcs property set stonith-enabled=true"],
};
const observe = (...findings: ObservedFinding[]): FindingObservation => ({
  checked: ["fencing-disabled"],
  findings,
});
const settle = () => new Promise((resolve) => setTimeout(resolve, 400));

describe.each(TEST_PROVIDERS)("notifications on %s", (provider) => {
  let test: TestServer;
  let hook: WebhookReceiver;
  let smtp: SmtpSink;
  let admin: Headers;
  let operator: Headers;
  let webhookId: string;
  let emailId: string;
  let ruleId: string;

  beforeAll(async () => {
    [test, hook, smtp] = await Promise.all([
      createTestServer(provider),
      startWebhookReceiver(SECRET),
      startSmtpSink(),
    ]);
    admin = (await test.signedIn("admin")).headers;
    operator = (await test.signedIn("operator")).headers;
    await new ClusterRepository(test.server.database.client).registerCluster(
      { id: "c1", name: "lab" },
      [],
    );
    const caller = await test.caller(admin);
    webhookId = (
      await caller.notifications.saveChannel({
        name: "ops hook",
        type: "webhook",
        enabled: true,
        secret: SECRET,
        settings: { url: hook.url },
      })
    ).id;
    emailId = (
      await caller.notifications.saveChannel({
        name: "ops mail",
        type: "email",
        enabled: true,
        settings: sinkSettings(smtp, "ops@example.test"),
      })
    ).id;
    ruleId = (
      await caller.notifications.saveRule({
        name: "warnings and worse",
        enabled: true,
        kinds: [],
        minSeverity: "warning",
        clusterIds: [],
        channelIds: [webhookId, emailId],
      })
    ).id;
  });
  afterAll(async () => {
    await test?.dispose();
    await hook?.close();
    await smtp?.close();
  });

  /** What recordFindings does with each new inventory. */
  async function apply(observation: FindingObservation) {
    const changes = await test.server.findings.applyObservation("c1", observation);
    if (changes.queued > 0) test.server.notifications.wake();
    return changes;
  }

  it("seals the webhook secret: stored encrypted, never answered, redacted from the log", async () => {
    const row = await test.server.database.client.notificationChannel.findUnique({
      where: { id: webhookId },
    });
    expect(row?.sealedSecret).toBeTruthy();
    expect(row?.sealedSecret).not.toContain(SECRET);
    const channels = await (await test.caller(operator)).notifications.channels();
    expect(channels.find((c) => c.id === webhookId)).toMatchObject({ hasSecret: true });
    expect(JSON.stringify(channels)).not.toContain(SECRET);
    const log = await test.server.commandLog.repository.list({ kind: "action" }, { limit: 50 });
    const created = log.entries.find(
      (e) => e.action === "notification.channel.create" && e.detail?.type === "webhook",
    );
    expect(created?.detail?.secret).toBe("[redacted]");
    expect(JSON.stringify(log.entries)).not.toContain(SECRET);
    const retyped = await (await test.caller(admin)).notifications
      .saveChannel({
        id: webhookId,
        name: "ops hook",
        type: "email",
        enabled: true,
        settings: sinkSettings(smtp, "x@example.test"),
      })
      .catch((error: unknown) => error);
    expect(retyped).toMatchObject({ code: "BAD_REQUEST" });
  });

  it("sends exactly one signed webhook and one email when a finding opens, and one each when it resolves", async () => {
    await apply(observe(fencing));
    await eventually("the opening's webhook and email", () => {
      return hook.received.length === 1 && smtp.received.length === 1;
    });
    await apply(observe(fencing));
    await settle();
    expect(hook.received).toHaveLength(1);
    expect(smtp.received).toHaveLength(1);

    const [opened] = hook.received;
    expect(opened?.signatureValid).toBe(true);
    expect(opened?.headers["x-corral-event"]).toBe("finding.opened");
    expect(opened?.json).toMatchObject({
      event: "finding.opened",
      clusterName: "lab",
      finding: { kind: "fencing-disabled", severity: "critical", fix: fencing.fix },
    });
    const [mail] = smtp.received;
    expect(mail?.to).toEqual(["ops@example.test"]);
    expect(mail?.raw).toContain("Subject: [Corral] CRITICAL fencing-disabled on lab");
    expect(mail?.raw).toContain("pcs property set stonith-enabled=true");

    await apply(observe());
    await eventually("the resolution's webhook and email", () => {
      return hook.received.length === 2 && smtp.received.length === 2;
    });
    await settle();
    expect(hook.received).toHaveLength(2);
    expect(smtp.received).toHaveLength(2);
    expect(hook.received[1]?.json).toMatchObject({
      event: "finding.resolved",
      finding: { id: (opened?.json.finding as { id: string } | undefined)?.id },
    });
    expect(hook.received[1]?.signatureValid).toBe(true);
    expect(smtp.received[1]?.raw).toContain("Subject: [Corral] RESOLVED fencing-disabled on lab");

    const deliveries = await (await test.caller(operator)).notifications.deliveries();
    await eventually("every delivery recorded", async () => {
      const all = await (await test.caller(operator)).notifications.deliveries();
      return all.every((d) => d.state === "delivered");
    });
    expect(deliveries).toHaveLength(4);
    for (const delivery of deliveries) {
      expect(delivery.state).toBe("delivered");
      expect(delivery.attempts).toHaveLength(1);
    }
    expect(deliveries.filter((d) => d.channelId === webhookId)[0]?.attempts[0]).toMatchObject({
      ok: true,
      responseCode: 200,
      response: "thanks",
    });
    expect(deliveries.filter((d) => d.channelId === emailId)[0]?.attempts[0]).toMatchObject({
      ok: true,
      responseCode: 250,
    });
  });

  it("sends one open and one resolve per real transition of a finding flapping within a second", async () => {
    const hooks = hook.received.length;
    const mails = smtp.received.length;
    for (let flap = 0; flap < 3; flap++) {
      await apply(observe(fencing));
      await apply(observe(fencing));
      await apply(observe());
      await apply(observe());
    }
    await eventually("six webhooks and six emails", () => {
      return hook.received.length === hooks + 6 && smtp.received.length === mails + 6;
    });
    await settle();
    const flapped = hook.received.slice(hooks);
    expect(flapped).toHaveLength(6);
    const transitions = flapped.map(
      (r) => `${(r.json.finding as { id: string }).id}:${r.json.event}`,
    );
    expect(new Set(transitions).size).toBe(6);
    expect(flapped.filter((r) => r.json.event === "finding.opened")).toHaveLength(3);
    expect(smtp.received.slice(mails)).toHaveLength(6);
  });

  it("sends a test through a channel and through a rule, answering with how it went", async () => {
    const caller = await test.caller(admin);
    const hooks = hook.received.length;
    const delivery = await caller.notifications.testChannel({ id: webhookId });
    expect(delivery).toMatchObject({ event: "test", state: "delivered" });
    expect(delivery.attempts).toMatchObject([{ number: 1, ok: true, responseCode: 200 }]);
    expect(hook.received[hooks]?.json).toMatchObject({ event: "test", channel: "ops hook" });
    expect(hook.received[hooks]?.signatureValid).toBe(true);

    const mails = smtp.received.length;
    const viaRule = await caller.notifications.testRule({ id: ruleId });
    expect(viaRule.map((d) => [d.channelName, d.state]).sort()).toEqual([
      ["ops hook", "delivered"],
      ["ops mail", "delivered"],
    ]);
    expect(smtp.received[mails]?.raw).toContain("Subject: [Corral] Test message");
    expect(smtp.received[mails]?.raw).toContain('for the rule "warnings and worse"');

    hook.answer(503);
    try {
      const failed = await caller.notifications.testChannel({ id: webhookId });
      expect(failed).toMatchObject({ state: "failed" });
      expect(failed.attempts).toMatchObject([{ ok: false, responseCode: 503, error: /503/ }]);
      const before = hook.received.length;
      await settle();
      expect(hook.received).toHaveLength(before);
    } finally {
      hook.answer(200);
    }
  });
});

describe.each(TEST_PROVIDERS)("a failing receiver on %s", (provider) => {
  it("is retried with doubling pauses until it answers, every attempt recorded; then given up after the last", async () => {
    const database = await createTestDatabase(provider);
    const hook = await startWebhookReceiver(SECRET);
    const stop = new AbortController();
    const service = new NotificationService(
      {
        database: database.database,
        logger: pino({ level: "silent" }),
        credentialKey: randomBytes(32),
      },
      { retry: { maxAttempts: 4, firstDelayMs: 200, maxDelayMs: 10_000 }, idlePollMs: 50 },
    );
    const running = service.run(stop.signal);
    try {
      const db = database.database.client;
      await new ClusterRepository(db).registerCluster({ id: "c1", name: "lab" }, []);
      const channel = await service.saveChannel({
        name: "flaky",
        type: "webhook",
        enabled: true,
        secret: SECRET,
        settings: { url: hook.url },
      });
      await service.saveRule({
        name: "all",
        enabled: true,
        kinds: [],
        minSeverity: "info",
        clusterIds: [],
        channelIds: [channel.id],
      });
      const findings = new FindingRepository(db);

      // Answers 500 twice, then 200: three attempts, 200 ms then 400 ms apart.
      hook.answer(500);
      await findings.applyObservation("c1", observe(fencing));
      service.wake();
      await eventually("two failed attempts", () => hook.received.length === 2, 10_000);
      hook.answer(200);
      await eventually("the third attempt", () => hook.received.length === 3, 10_000);
      const gaps = hook.received.slice(1).map((r, i) => r.at - (hook.received[i]?.at ?? 0));
      expect(gaps[0]).toBeGreaterThanOrEqual(180);
      expect(gaps[1]).toBeGreaterThanOrEqual(380);
      expect(gaps[1]).toBeGreaterThan(gaps[0] ?? 0);
      expect(new Set(hook.received.map((r) => r.body)).size).toBe(1);
      expect(hook.received.every((r) => r.signatureValid)).toBe(true);
      await eventually("the delivery recorded", async () => {
        const [latest] = await service.listDeliveries({ limit: 1 });
        return latest?.state === "delivered";
      });
      const [delivered] = await service.listDeliveries({ limit: 10 });
      expect(delivered?.attempts.map((a) => [a.number, a.ok, a.responseCode])).toEqual([
        [1, false, 500],
        [2, false, 500],
        [3, true, 200],
      ]);

      // Never answers well: four attempts, then failed for good.
      hook.answer(502);
      await findings.applyObservation("c1", observe());
      service.wake();
      await eventually("four attempts at the resolution", () => hook.received.length === 7, 10_000);
      // A fifth attempt would come 1.6 s after the fourth.
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      expect(hook.received).toHaveLength(7);
      const [failed] = await service.listDeliveries({ limit: 1 });
      expect(failed).toMatchObject({
        event: "finding.resolved",
        state: "failed",
        nextAttemptAt: null,
      });
      expect(failed?.attempts.map((a) => a.responseCode)).toEqual([502, 502, 502, 502]);
    } finally {
      stop.abort();
      await running;
      await hook.close();
      await database.dispose();
    }
  });
});
