import { randomUUID } from "node:crypto";
import {
  AppError,
  DEFAULT_RETRY_POLICY,
  type NotificationMessage,
  openSecret,
  type RetryPolicy,
  retryDelayMs,
  sealSecret,
} from "@corral/core";
import {
  type ChannelInput,
  type ClaimedDelivery,
  type Database,
  type Delivery,
  NotificationRepository,
  type RuleInput,
} from "@corral/db";
import type { Logger } from "pino";
import { sendEmail } from "./send-email.ts";
import type { SendOutcome } from "./send-outcome.ts";
import { sendWebhook } from "./send-webhook.ts";

/** A channel to save: without `id` a new one. `secret` undefined keeps the stored one. */
type SaveChannel = ChannelInput & { id?: string; secret?: string | null };

interface NotificationServiceOptions {
  retry?: RetryPolicy;
  /** A delivery claimed this long ago and never settled (its process died) is sent again. */
  staleClaimMs?: number;
  /** How often the queue is looked at without being woken (another process may have queued). */
  idlePollMs?: number;
}

const CLAIM_BATCH = 20;

/**
 * Notification channels and rules, and the sender of the delivery outbox: it sends each queued
 * message (FindingRepository.applyObservation queues them with the finding), records every
 * attempt, and retries failures with doubling pauses. Secrets are sealed with the credential
 * key, bound to the channel, and opened only to send.
 */
export class NotificationService {
  readonly #repository: NotificationRepository;
  readonly #retry: RetryPolicy;
  readonly #staleClaimMs: number;
  readonly #idlePollMs: number;
  #woken = false;
  #wakeUp: (() => void) | null = null;

  constructor(
    private readonly parts: { database: Database; logger: Logger; credentialKey: Buffer },
    options: NotificationServiceOptions = {},
  ) {
    this.#repository = new NotificationRepository(parts.database.client);
    this.#retry = options.retry ?? DEFAULT_RETRY_POLICY;
    this.#staleClaimMs = options.staleClaimMs ?? 5 * 60_000;
    this.#idlePollMs = options.idlePollMs ?? 30_000;
  }

  listChannels() {
    return this.#repository.listChannels();
  }

  async saveChannel(input: SaveChannel) {
    const { id, secret, ...channel } = input;
    if (channel.type === "webhook" && !id && !secret) {
      throw new AppError("INVALID_INPUT", "A webhook needs a secret to sign its messages with.");
    }
    if (channel.type === "webhook" && secret === null) {
      throw new AppError("INVALID_INPUT", "A webhook's secret can be replaced, not removed.");
    }
    const channelId = id ?? randomUUID();
    const sealed = secret
      ? sealSecret(secret, this.parts.credentialKey, bindingOf(channelId))
      : secret;
    if (!id) return this.#repository.createChannel(channelId, channel, sealed ?? null);
    const existing = await this.#mustFindChannel(id);
    // The sealed secret means one thing per type: a signing key or an SMTP password.
    if (existing.channel.type !== channel.type) {
      throw new AppError("INVALID_INPUT", "A channel keeps its type: add a new channel instead.");
    }
    return this.#repository.updateChannel(id, channel, sealed);
  }

  deleteChannel(id: string) {
    return this.#repository.deleteChannel(id);
  }

  listRules() {
    return this.#repository.listRules();
  }

  async saveRule(input: RuleInput & { id?: string }) {
    const { id, ...rule } = input;
    const known = new Set((await this.#repository.listChannels()).map((channel) => channel.id));
    const unknown = rule.channelIds.filter((channelId) => !known.has(channelId));
    if (unknown.length > 0) {
      throw new AppError("NOT_FOUND", `No notification channel ${unknown.join(", ")}.`);
    }
    if (!id) return this.#repository.createRule(rule);
    if (!(await this.#repository.listRules()).some((existing) => existing.id === id)) {
      throw new AppError("NOT_FOUND", "That rule no longer exists.");
    }
    return this.#repository.updateRule(id, rule);
  }

  deleteRule(id: string) {
    return this.#repository.deleteRule(id);
  }

  listDeliveries(filter: { channelId?: string; limit: number }) {
    return this.#repository.listDeliveries(filter);
  }

  /** Sends a test message to one channel now, once, and answers with how it went. */
  async testChannel(channelId: string, rule: string | null = null): Promise<Delivery> {
    const { channel } = await this.#mustFindChannel(channelId);
    const claimed = await this.#repository.queueTest(channel, rule);
    await this.#deliver(claimed, { retry: false });
    const delivery = await this.#repository.findDelivery(claimed.id);
    if (!delivery) throw new AppError("NOT_FOUND", "The channel was deleted during the test.");
    return delivery;
  }

  /** A test message through each of a rule's channels. */
  async testRule(ruleId: string): Promise<Delivery[]> {
    const rule = (await this.#repository.listRules()).find((each) => each.id === ruleId);
    if (!rule) throw new AppError("NOT_FOUND", "That rule no longer exists.");
    return Promise.all(rule.channelIds.map((channelId) => this.testChannel(channelId, rule.name)));
  }

  /** Something was queued: look at the queue now rather than at the next poll. */
  wake(): void {
    this.#woken = true;
    this.#wakeUp?.();
  }

  /** Sends what is due until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      this.#woken = false;
      try {
        await this.#sendDue();
      } catch (error) {
        this.parts.logger.error({ err: error }, "sending notifications failed");
      }
      const next = await this.#repository.nextDueAt().catch(() => null);
      const wait = next
        ? Math.min(Math.max(next.getTime() - Date.now(), 0), this.#idlePollMs)
        : this.#idlePollMs;
      await this.#sleep(wait, signal);
    }
  }

  async #sendDue(): Promise<void> {
    for (;;) {
      const now = new Date();
      const claimed = await this.#repository.claimDue(
        now,
        new Date(now.getTime() - this.#staleClaimMs),
        CLAIM_BATCH,
      );
      if (claimed.length === 0) return;
      await Promise.all(claimed.map((delivery) => this.#deliver(delivery, { retry: true })));
    }
  }

  async #deliver(claimed: ClaimedDelivery, options: { retry: boolean }): Promise<void> {
    const number = claimed.attempts + 1;
    const startedAt = new Date();
    const outcome = await this.#send(claimed);
    const delay = outcome.ok || !options.retry ? null : retryDelayMs(number, this.#retry);
    if (!outcome.ok) {
      this.parts.logger.warn(
        {
          delivery: claimed.id,
          channel: claimed.channel.name,
          attempt: number,
          error: outcome.error,
        },
        delay === null ? "notification failed for good" : "notification failed, will retry",
      );
    }
    await this.#repository.recordAttempt(
      claimed.id,
      { number, startedAt, durationMs: Date.now() - startedAt.getTime(), ...outcome },
      delay === null ? null : new Date(Date.now() + delay),
    );
  }

  async #send(claimed: ClaimedDelivery): Promise<SendOutcome> {
    let secret: string | null;
    try {
      secret = claimed.sealedSecret
        ? openSecret(claimed.sealedSecret, this.parts.credentialKey, bindingOf(claimed.channel.id))
        : null;
    } catch (error) {
      return { ok: false, responseCode: null, response: null, error: (error as Error).message };
    }
    const message = JSON.parse(claimed.body) as NotificationMessage;
    return claimed.channel.type === "webhook"
      ? sendWebhook(claimed.channel.settings, secret, claimed.body, message)
      : sendEmail(claimed.channel.settings, secret, message);
  }

  async #mustFindChannel(id: string) {
    const found = await this.#repository.findChannel(id);
    if (!found) throw new AppError("NOT_FOUND", "That notification channel no longer exists.");
    return found;
  }

  #sleep(ms: number, signal: AbortSignal): Promise<void> {
    if (this.#woken || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener("abort", done);
        this.#wakeUp = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener("abort", done, { once: true });
      this.#wakeUp = done;
    });
  }
}

/** A channel's sealed secret opens only on that channel (never on a node's record). */
function bindingOf(channelId: string): string {
  return `notification-channel:${channelId}`;
}
