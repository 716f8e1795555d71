import type { FindingObservation, NotificationMessage, ObservedFinding } from "@corral/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, TEST_PROVIDERS, type TestDatabase } from "../testing/test-database.ts";
import { ApiTokenRepository } from "./api-token-repository.ts";
import { ClusterRepository } from "./cluster-repository.ts";
import { CommandLogRepository } from "./command-log-repository.ts";
import { FindingRepository } from "./finding-repository.ts";
import { NotificationRepository } from "./notification-repository.ts";

const fencing: ObservedFinding = {
  kind: "fencing-disabled",
  vm: null,
  node: null,
  severity: "critical",
  summary: "Fencing is disabled on lab.",
  why: "A hung node cannot be shut out.",
  fix: ["pcs property set stonith-enabled=true"],
};
const persistent: ObservedFinding = {
  kind: "persistent-definition",
  vm: "web1",
  node: null,
  severity: "warning",
  summary: "web1 is still defined on node2.",
  why: "One virsh start runs a second copy.",
  fix: ["ssh node2 virsh undefine --keep-nvram --domain web1"],
};
const checked: FindingObservation["checked"] = ["fencing-disabled", "persistent-definition"];
const seen = (...findings: ObservedFinding[]): FindingObservation => ({ checked, findings });

describe.each(TEST_PROVIDERS)("findings and notifications on %s", (provider) => {
  let test: TestDatabase;
  let findings: FindingRepository;
  let notifications: NotificationRepository;
  let log: CommandLogRepository;
  let webhookId: string;
  let emailId: string;

  beforeAll(async () => {
    test = await createTestDatabase(provider);
    const db = test.database.client;
    findings = new FindingRepository(db);
    notifications = new NotificationRepository(db);
    log = new CommandLogRepository(db);
    await new ClusterRepository(db).registerCluster({ id: "c1", name: "lab" }, []);
    await new ClusterRepository(db).registerCluster({ id: "c2", name: "other" }, []);
    webhookId = (
      await notifications.createChannel(
        "ch-webhook",
        { name: "hook", type: "webhook", enabled: true, settings: { url: "http://127.0.0.1:9/x" } },
        "sealed-secret",
      )
    ).id;
    emailId = (
      await notifications.createChannel(
        "ch-email",
        {
          name: "mail",
          type: "email",
          enabled: true,
          settings: {
            host: "127.0.0.1",
            port: 2525,
            security: "none",
            username: null,
            from: "corral@example.test",
            to: ["ops@example.test"],
          },
        },
        null,
      )
    ).id;
    // Critical findings of c1 to both; a second rule also naming the webhook must not double it.
    await notifications.createRule({
      name: "critical to all",
      enabled: true,
      kinds: [],
      minSeverity: "critical",
      clusterIds: ["c1"],
      channelIds: [webhookId, emailId],
    });
    await notifications.createRule({
      name: "fencing to hook",
      enabled: true,
      kinds: ["fencing-disabled"],
      minSeverity: "info",
      clusterIds: [],
      channelIds: [webhookId],
    });
  });
  afterAll(() => test?.dispose());

  const actions = async (action: string) =>
    (await log.list({ kind: "action" }, { limit: 500 })).entries.filter((e) => e.action === action);

  it("opens once, queues one message per matching channel, and logs it in the same transaction", async () => {
    const t0 = new Date("2026-11-01T10:00:00Z");
    const first = await findings.applyObservation("c1", seen(fencing, persistent), t0);
    expect(first.opened.map((f) => f.kind).sort()).toEqual(checked.slice().sort());
    // fencing (critical): webhook + email; persistent (warning): no rule takes it.
    expect(first.queued).toBe(2);
    const again = await findings.applyObservation("c1", seen(fencing, persistent));
    expect(again).toEqual({ opened: [], resolved: [], queued: 0 });

    const open = await findings.list({ clusterId: "c1", state: "open", limit: 10 });
    expect(open).toHaveLength(2);
    expect(open.find((f) => f.kind === "fencing-disabled")).toMatchObject({
      openedAt: t0,
      resolvedAt: null,
      fix: fencing.fix,
    });
    const logged = await actions("finding.opened");
    expect(logged).toHaveLength(2);
    expect(logged.find((e) => e.detail?.kind === "fencing-disabled")).toMatchObject({
      actorName: "Corral",
      clusterId: "c1",
      ok: false,
      stderr: fencing.summary,
    });

    const deliveries = await notifications.listDeliveries({ limit: 10 });
    expect(deliveries.map((d) => [d.channelName, d.event, d.state]).sort()).toEqual([
      ["hook", "finding.opened", "pending"],
      ["mail", "finding.opened", "pending"],
    ]);
  });

  it("keeps a still-observed finding and updates what it says", async () => {
    const moved = { ...persistent, summary: "web1 is still defined on node2 and node3." };
    await findings.applyObservation("c1", seen(fencing, moved));
    const [open] = (await findings.list({ clusterId: "c1", state: "open", limit: 10 })).filter(
      (f) => f.kind === "persistent-definition",
    );
    expect(open?.summary).toBe(moved.summary);
  });

  it("resolves what vanished once, queueing its resolve messages, and a reopening is a new finding", async () => {
    const open = await findings.list({ clusterId: "c1", state: "open", limit: 10 });
    const before = open.find((f) => f.kind === "fencing-disabled");
    const resolved = await findings.applyObservation("c1", seen(persistent));
    expect(resolved.resolved.map((f) => f.kind)).toEqual(["fencing-disabled"]);
    expect(resolved.queued).toBe(2);
    expect(await findings.applyObservation("c1", seen(persistent))).toMatchObject({ queued: 0 });
    expect(await actions("finding.resolved")).toHaveLength(1);

    const reopened = await findings.applyObservation("c1", seen(fencing, persistent));
    expect(reopened.opened).toHaveLength(1);
    expect(reopened.opened[0]?.id).not.toBe(before?.id);
    const history = await findings.list({ clusterId: "c1", state: "resolved", limit: 10 });
    expect(history.map((f) => f.id)).toEqual([before?.id]);
    expect(history[0]?.resolvedAt).toBeInstanceOf(Date);
  });

  it("never resolves a kind the observation did not check", async () => {
    const changes = await findings.applyObservation("c1", { checked: [], findings: [] });
    expect(changes).toEqual({ opened: [], resolved: [], queued: 0 });
    expect(await findings.list({ clusterId: "c1", state: "open", limit: 10 })).toHaveLength(2);
  });

  it("lets concurrent observers of one change open it once and send it once", async () => {
    const results = await Promise.all(
      Array.from({ length: 6 }, () => findings.applyObservation("c2", seen(fencing))),
    );
    expect(results.flatMap((r) => r.opened)).toHaveLength(1);
    // c2 is not in the critical rule's clusters: only "fencing to hook" takes it.
    expect(results.reduce((sum, r) => sum + r.queued, 0)).toBe(1);
    const resolving = await Promise.all(
      Array.from({ length: 6 }, () => findings.applyObservation("c2", seen())),
    );
    expect(resolving.flatMap((r) => r.resolved)).toHaveLength(1);
    expect(resolving.reduce((sum, r) => sum + r.queued, 0)).toBe(1);
  });

  it("counts open findings by cluster, kind and severity, and takes acknowledgements", async () => {
    expect(await findings.countOpen()).toEqual([
      { clusterId: "c1", kind: "fencing-disabled", severity: "critical", count: 1 },
      { clusterId: "c1", kind: "persistent-definition", severity: "warning", count: 1 },
    ]);
    const [open] = await findings.list({ clusterId: "c1", state: "open", limit: 1 });
    const until = new Date("2026-12-01T00:00:00Z");
    expect(
      await findings.acknowledge(open?.id ?? "", { id: null, name: "ada" }, "planned", until),
    ).toBe(true);
    expect((await findings.find(open?.id ?? ""))?.acknowledgement).toMatchObject({
      byName: "ada",
      reason: "planned",
      until,
    });
    const [resolved] = await findings.list({ clusterId: "c1", state: "resolved", limit: 1 });
    expect(await findings.acknowledge(resolved?.id ?? "", { id: null, name: "a" }, "x", null)).toBe(
      false,
    );
  });

  it("hands each due delivery to one claimer and records attempts with their outcome", async () => {
    const now = new Date(Date.now() + 1000);
    const claims = await Promise.all(
      Array.from({ length: 4 }, () => notifications.claimDue(now, new Date(0), 50)),
    );
    const claimed = claims.flat();
    const ids = claimed.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe((await notifications.listDeliveries({ limit: 50 })).length);
    expect(await notifications.claimDue(now, new Date(0), 50)).toEqual([]);

    const [one, ...rest] = claimed;
    if (!one) throw new Error("nothing claimed");
    const message = JSON.parse(one.body) as NotificationMessage;
    expect(message.id).toBe(one.id);
    const retryAt = new Date(now.getTime() + 5000);
    await notifications.recordAttempt(
      one.id,
      {
        number: 1,
        startedAt: now,
        durationMs: 12,
        ok: false,
        responseCode: 500,
        response: "boom",
        error: "HTTP 500",
      },
      retryAt,
    );
    expect(await notifications.nextDueAt()).toEqual(retryAt);
    expect(await notifications.claimDue(now, new Date(0), 50)).toEqual([]);
    const [retried] = await notifications.claimDue(retryAt, new Date(0), 50);
    expect(retried?.id).toBe(one.id);
    expect(retried?.attempts).toBe(1);
    await notifications.recordAttempt(
      one.id,
      {
        number: 2,
        startedAt: retryAt,
        durationMs: 3,
        ok: true,
        responseCode: 204,
        response: "",
        error: null,
      },
      null,
    );
    expect(await notifications.findDelivery(one.id)).toMatchObject({
      state: "delivered",
      deliveredAt: retryAt,
      attempts: [
        { number: 1, ok: false, responseCode: 500, error: "HTTP 500" },
        { number: 2, ok: true, responseCode: 204 },
      ],
    });
    // Claims whose process stopped before settling are handed back once stale.
    const back = await notifications.claimDue(
      new Date(now.getTime() + 1),
      new Date(now.getTime() + 1),
      50,
    );
    expect(back.map((c) => c.id).sort()).toEqual(rest.map((c) => c.id).sort());
  });

  it("keeps channels, rules and a test delivery; deleting a channel takes its deliveries", async () => {
    expect((await notifications.listChannels()).map((c) => [c.name, c.hasSecret])).toEqual([
      ["hook", true],
      ["mail", false],
    ]);
    const [rule] = (await notifications.listRules()).filter((r) => r.name === "fencing to hook");
    if (!rule) throw new Error("rule missing");
    const updated = await notifications.updateRule(rule.id, { ...rule, channelIds: [emailId] });
    expect(updated.channelIds).toEqual([emailId]);
    const test = await notifications.queueTest({ id: webhookId, name: "hook" }, "fencing to hook");
    expect(JSON.parse(test.body)).toMatchObject({ event: "test", channel: "hook", id: test.id });
    expect(test.sealedSecret).toBe("sealed-secret");
    await notifications.updateChannel(
      webhookId,
      { name: "hook", type: "webhook", enabled: false, settings: { url: "http://127.0.0.1:9/y" } },
      undefined,
    );
    expect((await notifications.findChannel(webhookId))?.sealedSecret).toBe("sealed-secret");
    await notifications.deleteChannel(webhookId);
    expect(await notifications.listDeliveries({ channelId: webhookId, limit: 10 })).toEqual([]);
    expect((await notifications.listRules()).find((r) => r.id === rule.id)?.channelIds).toEqual([
      emailId,
    ]);
  });

  it("finds the holder of a valid API token with the owner's current role, and revokes", async () => {
    const user = await test.database.client.user.create({
      data: { id: "u1", name: "Ada", email: "ada@example.test", role: "operator" },
    });
    const tokens = new ApiTokenRepository(test.database.client);
    await tokens.create({
      id: "t1",
      name: "prom",
      userId: user.id,
      tokenHash: "h1",
      prefix: "corral_ab",
    });
    expect(await tokens.use("nope")).toBeNull();
    expect(await tokens.use("h1")).toEqual({
      tokenId: "t1",
      tokenName: "prom",
      user: { id: "u1", name: "Ada", email: "ada@example.test", role: "operator" },
    });
    expect((await tokens.find("t1"))?.lastUsedAt).toBeInstanceOf(Date);
    await test.database.client.user.update({ where: { id: "u1" }, data: { role: "viewer" } });
    expect((await tokens.use("h1"))?.user.role).toBe("viewer");
    await test.database.client.user.update({ where: { id: "u1" }, data: { banned: true } });
    expect(await tokens.use("h1")).toBeNull();
    await test.database.client.user.update({ where: { id: "u1" }, data: { banned: false } });
    expect(await tokens.revoke("t1", "admin@example.test")).toBe(true);
    expect(await tokens.revoke("t1", "admin@example.test")).toBe(false);
    expect(await tokens.use("h1")).toBeNull();
    expect(await tokens.list({ userId: "u1" })).toMatchObject([
      {
        id: "t1",
        prefix: "corral_ab",
        revokedByName: "admin@example.test",
        owner: { role: "viewer" },
      },
    ]);
  });
});
