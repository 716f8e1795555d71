import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Finding } from "../findings/finding.types.ts";
import { describeNotification } from "./describe-notification.ts";
import { findingNotification } from "./finding-notification.ts";
import { channelsForFinding } from "./match-notification-rules.ts";
import type { NotificationRule } from "./notification.types.ts";
import { retryDelayMs } from "./retry-delay.ts";
import { signWebhookBody } from "./sign-webhook-body.ts";

const rule = (overrides: Partial<NotificationRule>): NotificationRule => ({
  id: "r",
  name: "r",
  enabled: true,
  kinds: [],
  minSeverity: "info",
  clusterIds: [],
  channelIds: ["ch"],
  ...overrides,
});

const finding: Finding = {
  id: "f1",
  clusterId: "c1",
  kind: "fencing-disabled",
  vm: null,
  node: null,
  severity: "warning",
  summary: "Fencing is disabled on lab.",
  why: "A hung node cannot be shut out.",
  fix: ["pcs property set stonith-enabled=true"],
  openedAt: new Date("2026-11-01T10:00:00Z"),
  resolvedAt: null,
  acknowledgement: null,
};

describe("channelsForFinding", () => {
  it("an empty rule takes every finding", () => {
    expect(channelsForFinding([rule({})], finding)).toEqual(["ch"]);
  });

  it("filters by kind, minimum severity and cluster, and skips disabled rules", () => {
    expect(channelsForFinding([rule({ kinds: ["no-quorum"] })], finding)).toEqual([]);
    expect(channelsForFinding([rule({ kinds: ["fencing-disabled"] })], finding)).toEqual(["ch"]);
    expect(channelsForFinding([rule({ minSeverity: "critical" })], finding)).toEqual([]);
    expect(channelsForFinding([rule({ minSeverity: "warning" })], finding)).toEqual(["ch"]);
    expect(channelsForFinding([rule({ clusterIds: ["c2"] })], finding)).toEqual([]);
    expect(channelsForFinding([rule({ clusterIds: ["c2", "c1"] })], finding)).toEqual(["ch"]);
    expect(channelsForFinding([rule({ enabled: false })], finding)).toEqual([]);
  });

  it("names each channel once however many rules send to it", () => {
    const rules = [
      rule({ channelIds: ["a", "b"] }),
      rule({ channelIds: ["b", "c"], kinds: ["fencing-disabled"] }),
    ];
    expect(channelsForFinding(rules, finding)).toEqual(["a", "b", "c"]);
  });
});

describe("retryDelayMs", () => {
  const policy = { maxAttempts: 5, firstDelayMs: 100, maxDelayMs: 500 };
  it("doubles from the first delay, capped, and stops after the last attempt", () => {
    expect([1, 2, 3, 4, 5].map((attempt) => retryDelayMs(attempt, policy))).toEqual([
      100,
      200,
      400,
      500,
      null,
    ]);
  });
});

describe("signWebhookBody", () => {
  it("is sha256= and the hex HMAC of the body's UTF-8 bytes under the secret", () => {
    const body = JSON.stringify({ summary: "fencing désactivé" });
    const expected = createHmac("sha256", "s3cret").update(Buffer.from(body, "utf8")).digest("hex");
    expect(signWebhookBody(body, "s3cret")).toBe(`sha256=${expected}`);
    expect(signWebhookBody(body, "other")).not.toBe(`sha256=${expected}`);
  });
});

describe("findingNotification", () => {
  it("carries the finding with ISO times and without its acknowledgement", () => {
    const acknowledged = {
      ...finding,
      acknowledgement: { byId: "u", byName: "a@x", reason: "known", at: new Date(), until: null },
    };
    expect(findingNotification("d1", "opened", "lab", acknowledged)).toEqual({
      id: "d1",
      event: "finding.opened",
      clusterName: "lab",
      finding: {
        id: "f1",
        clusterId: "c1",
        kind: "fencing-disabled",
        vm: null,
        node: null,
        severity: "warning",
        summary: finding.summary,
        why: finding.why,
        fix: finding.fix,
        openedAt: "2026-11-01T10:00:00.000Z",
        resolvedAt: null,
      },
    });
  });
});

describe("describeNotification", () => {
  it("writes an opening with severity, why and the fix commands", () => {
    const { subject, text } = describeNotification(
      findingNotification("d1", "opened", "lab", finding),
    );
    expect(subject).toBe("[Corral] WARNING fencing-disabled on lab");
    expect(text).toContain("Why it matters: A hung node cannot be shut out.");
    expect(text).toContain("  pcs property set stonith-enabled=true");
  });

  it("writes a resolution naming where, with both times", () => {
    const { subject, text } = describeNotification(
      findingNotification("d1", "resolved", "lab", {
        ...finding,
        vm: "web1",
        resolvedAt: new Date("2026-11-01T10:05:00Z"),
      }),
    );
    expect(subject).toBe("[Corral] RESOLVED fencing-disabled on lab / web1");
    expect(text).toContain("resolved 2026-11-01T10:05:00.000Z");
  });

  it("writes a test naming the channel and the rule", () => {
    const { subject, text } = describeNotification({
      id: "d1",
      event: "test",
      rule: "on-call",
      channel: "ops mail",
      sentAt: new Date(0).toISOString(),
    });
    expect(subject).toBe("[Corral] Test message");
    expect(text).toContain('channel "ops mail" for the rule "on-call"');
  });
});
