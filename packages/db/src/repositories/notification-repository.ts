import { randomUUID } from "node:crypto";
import {
  channelsForFinding,
  type EmailSettings,
  type Finding,
  type FindingKind,
  type FindingSeverity,
  type FindingTransition,
  findingNotification,
  type NotificationChannel,
  type NotificationChannelType,
  type NotificationMessage,
  type NotificationRule,
  type WebhookSettings,
} from "@corral/core";
import type { DbClient, DbTransaction } from "../create-database.ts";

/** A channel as it is written: the secret arrives sealed by the caller (bound to `id`). */
export type ChannelInput = {
  name: string;
  enabled: boolean;
} & ({ type: "webhook"; settings: WebhookSettings } | { type: "email"; settings: EmailSettings });

export type RuleInput = Omit<NotificationRule, "id">;

type DeliveryState = "pending" | "sending" | "delivered" | "failed";
type DeliveryEvent = NotificationMessage["event"];

/** One try of a delivery, as the sender saw it. */
export interface DeliveryAttempt {
  number: number;
  startedAt: Date;
  durationMs: number;
  ok: boolean;
  responseCode: number | null;
  response: string | null;
  error: string | null;
}

export interface Delivery {
  id: string;
  channelId: string;
  channelName: string;
  event: DeliveryEvent;
  findingId: string | null;
  state: DeliveryState;
  attempts: DeliveryAttempt[];
  nextAttemptAt: Date | null;
  createdAt: Date;
  deliveredAt: Date | null;
}

/** A delivery this process took to send: its exact body and the channel's sealed secret. */
export interface ClaimedDelivery {
  id: string;
  /** The JSON of the message, sent as it is. */
  body: string;
  attempts: number;
  channel: NotificationChannel;
  sealedSecret: string | null;
}

const RESPONSE_LIMIT = 2_000;

/** Notification channels, the rules sending findings to them, and the deliveries (the outbox). */
export class NotificationRepository {
  constructor(private readonly db: DbClient) {}

  async listChannels(): Promise<NotificationChannel[]> {
    const rows = await this.db.notificationChannel.findMany({ orderBy: { name: "asc" } });
    return rows.map(toChannel);
  }

  /** The channel with its sealed secret (to open for sending), or null. */
  async findChannel(
    id: string,
  ): Promise<{ channel: NotificationChannel; sealedSecret: string | null } | null> {
    const row = await this.db.notificationChannel.findUnique({ where: { id } });
    return row ? { channel: toChannel(row), sealedSecret: row.sealedSecret } : null;
  }

  async createChannel(id: string, input: ChannelInput, sealedSecret: string | null) {
    const row = await this.db.notificationChannel.create({
      data: { id, ...channelData(input), sealedSecret },
    });
    return toChannel(row);
  }

  /** `sealedSecret` undefined keeps the stored one. */
  async updateChannel(id: string, input: ChannelInput, sealedSecret: string | null | undefined) {
    const row = await this.db.notificationChannel.update({
      where: { id },
      data: { ...channelData(input), ...(sealedSecret === undefined ? {} : { sealedSecret }) },
    });
    return toChannel(row);
  }

  async deleteChannel(id: string): Promise<void> {
    await this.db.notificationChannel.deleteMany({ where: { id } });
  }

  async listRules(): Promise<NotificationRule[]> {
    return listRules(this.db);
  }

  async createRule(input: RuleInput): Promise<NotificationRule> {
    const row = await this.db.notificationRule.create({
      data: {
        id: randomUUID(),
        ...ruleData(input),
        channels: { connect: input.channelIds.map((channelId) => ({ id: channelId })) },
      },
      include: { channels: { select: { id: true } } },
    });
    return toRule(row);
  }

  async updateRule(id: string, input: RuleInput): Promise<NotificationRule> {
    const row = await this.db.notificationRule.update({
      where: { id },
      data: {
        ...ruleData(input),
        channels: { set: input.channelIds.map((channelId) => ({ id: channelId })) },
      },
      include: { channels: { select: { id: true } } },
    });
    return toRule(row);
  }

  async deleteRule(id: string): Promise<void> {
    await this.db.notificationRule.deleteMany({ where: { id } });
  }

  /**
   * Queues a test message to a channel, already claimed by the caller, who sends it at once.
   * `message` gets the delivery's id.
   */
  async queueTest(
    channel: { id: string; name: string },
    rule: string | null,
    now = new Date(),
  ): Promise<ClaimedDelivery> {
    const id = randomUUID();
    const message: NotificationMessage = {
      id,
      event: "test",
      rule,
      channel: channel.name,
      sentAt: now.toISOString(),
    };
    await this.db.notificationDelivery.create({
      data: {
        id,
        channelId: channel.id,
        event: "test",
        message: JSON.stringify(message),
        state: "sending",
        claimedAt: now,
      },
    });
    const [claimed] = await this.#claimedRows([id]);
    if (!claimed) throw new Error(`the test delivery ${id} vanished`);
    return claimed;
  }

  /**
   * Takes up to `limit` deliveries due by `now` for this process to send. A delivery another
   * process took before `staleBefore` and never settled (it stopped mid-way) is due again. Two
   * processes never take the same delivery: each claim is one conditional update.
   */
  async claimDue(now: Date, staleBefore: Date, limit: number): Promise<ClaimedDelivery[]> {
    await this.db.notificationDelivery.updateMany({
      where: { state: "sending", claimedAt: { lt: staleBefore } },
      data: { state: "pending", claimedAt: null },
    });
    const due = await this.db.notificationDelivery.findMany({
      where: { state: "pending", nextAttemptAt: { lte: now } },
      orderBy: { nextAttemptAt: "asc" },
      take: limit,
      select: { id: true },
    });
    const claimed: string[] = [];
    for (const { id } of due) {
      const taken = await this.db.notificationDelivery.updateMany({
        where: { id, state: "pending" },
        data: { state: "sending", claimedAt: now },
      });
      if (taken.count === 1) claimed.push(id);
    }
    return this.#claimedRows(claimed);
  }

  /** When the earliest pending delivery is due; null when none waits. */
  async nextDueAt(): Promise<Date | null> {
    const next = await this.db.notificationDelivery.findFirst({
      where: { state: "pending" },
      orderBy: { nextAttemptAt: "asc" },
      select: { nextAttemptAt: true },
    });
    return next?.nextAttemptAt ?? null;
  }

  /**
   * Records one attempt and what follows it: delivered, failed for good, or pending again at
   * `retryAt`.
   */
  async recordAttempt(
    deliveryId: string,
    attempt: DeliveryAttempt,
    retryAt: Date | null,
  ): Promise<void> {
    const state: DeliveryState = attempt.ok ? "delivered" : retryAt ? "pending" : "failed";
    await this.db.$transaction([
      this.db.notificationAttempt.create({
        data: {
          deliveryId,
          ...attempt,
          response: attempt.response?.slice(0, RESPONSE_LIMIT) ?? null,
          error: attempt.error?.slice(0, RESPONSE_LIMIT) ?? null,
        },
      }),
      this.db.notificationDelivery.update({
        where: { id: deliveryId },
        data: {
          state,
          attempts: attempt.number,
          claimedAt: null,
          nextAttemptAt: state === "pending" ? retryAt : null,
          deliveredAt: attempt.ok ? attempt.startedAt : null,
        },
      }),
    ]);
  }

  /** Newest first, with every attempt. */
  async listDeliveries(filter: { channelId?: string; limit: number }): Promise<Delivery[]> {
    const rows = await this.db.notificationDelivery.findMany({
      where: { channelId: filter.channelId },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: filter.limit,
      include: { channel: { select: { name: true } }, attemptLog: { orderBy: { number: "asc" } } },
    });
    return rows.map((row) => toDelivery(row));
  }

  async findDelivery(id: string): Promise<Delivery | null> {
    const row = await this.db.notificationDelivery.findUnique({
      where: { id },
      include: { channel: { select: { name: true } }, attemptLog: { orderBy: { number: "asc" } } },
    });
    return row ? toDelivery(row) : null;
  }

  async #claimedRows(ids: string[]): Promise<ClaimedDelivery[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.notificationDelivery.findMany({
      where: { id: { in: ids } },
      include: { channel: true },
    });
    return rows.map((row) => ({
      id: row.id,
      body: row.message,
      attempts: row.attempts,
      channel: toChannel(row.channel),
      sealedSecret: row.channel.sealedSecret,
    }));
  }
}

/**
 * Queues the message of each transition to every enabled channel a rule sends it to, in the
 * caller's transaction: a finding's opening or resolution and its messages are stored together
 * or not at all. The dedupe key lets one message per finding, transition and channel exist.
 */
export async function queueFindingNotifications(
  tx: DbTransaction,
  clusterName: string,
  transitions: { transition: FindingTransition; finding: Finding }[],
  now: Date,
): Promise<number> {
  if (transitions.length === 0) return 0;
  const rules = await listRules(tx);
  const enabled = new Set(
    (await tx.notificationChannel.findMany({ where: { enabled: true }, select: { id: true } })).map(
      (channel) => channel.id,
    ),
  );
  const data = transitions.flatMap(({ transition, finding }) =>
    channelsForFinding(rules, finding)
      .filter((channelId) => enabled.has(channelId))
      .map((channelId) => {
        const id = randomUUID();
        return {
          id,
          channelId,
          event: `finding.${transition}`,
          findingId: finding.id,
          dedupeKey: `${finding.id}:${transition}:${channelId}`,
          message: JSON.stringify(findingNotification(id, transition, clusterName, finding)),
          state: "pending",
          nextAttemptAt: now,
        };
      }),
  );
  for (const delivery of data) await tx.notificationDelivery.create({ data: delivery });
  return data.length;
}

async function listRules(db: DbClient | DbTransaction): Promise<NotificationRule[]> {
  const rows = await db.notificationRule.findMany({
    orderBy: { name: "asc" },
    include: { channels: { select: { id: true } } },
  });
  return rows.map(toRule);
}

function channelData(input: ChannelInput) {
  return {
    name: input.name,
    type: input.type,
    enabled: input.enabled,
    settings: JSON.stringify(input.settings),
  };
}

function ruleData(input: RuleInput) {
  return {
    name: input.name,
    enabled: input.enabled,
    kinds: JSON.stringify(input.kinds),
    minSeverity: input.minSeverity,
    clusterIds: JSON.stringify(input.clusterIds),
  };
}

function toChannel(row: {
  id: string;
  name: string;
  type: string;
  enabled: boolean;
  settings: string;
  sealedSecret: string | null;
}): NotificationChannel {
  const base = {
    id: row.id,
    name: row.name,
    enabled: row.enabled,
    hasSecret: row.sealedSecret !== null,
  };
  return (row.type as NotificationChannelType) === "email"
    ? { ...base, type: "email", settings: JSON.parse(row.settings) as EmailSettings }
    : { ...base, type: "webhook", settings: JSON.parse(row.settings) as WebhookSettings };
}

function toRule(row: {
  id: string;
  name: string;
  enabled: boolean;
  kinds: string;
  minSeverity: string;
  clusterIds: string;
  channels: { id: string }[];
}): NotificationRule {
  return {
    id: row.id,
    name: row.name,
    enabled: row.enabled,
    kinds: JSON.parse(row.kinds) as FindingKind[],
    minSeverity: row.minSeverity as FindingSeverity,
    clusterIds: JSON.parse(row.clusterIds) as string[],
    channelIds: row.channels.map((channel) => channel.id).sort(),
  };
}

function toDelivery(row: {
  id: string;
  channelId: string;
  channel: { name: string };
  event: string;
  findingId: string | null;
  state: string;
  nextAttemptAt: Date | null;
  createdAt: Date;
  deliveredAt: Date | null;
  attemptLog: (DeliveryAttempt & { id: string; deliveryId: string })[];
}): Delivery {
  return {
    id: row.id,
    channelId: row.channelId,
    channelName: row.channel.name,
    event: row.event as DeliveryEvent,
    findingId: row.findingId,
    state: row.state as DeliveryState,
    attempts: row.attemptLog.map(({ id: _, deliveryId: __, ...attempt }) => attempt),
    nextAttemptAt: row.nextAttemptAt,
    createdAt: row.createdAt,
    deliveredAt: row.deliveredAt,
  };
}
