import type { CommandLogSink, CommandRecord } from "@corral/core";
import {
  type ActionRecord,
  type CommandLogRepository,
  type EventBus,
  pulses,
  type VmLock,
} from "@corral/db";

/** The bus topic that says the command log has new entries. */
const RECORDED = "command-log.recorded";
/** New entries are announced at most this often per instance (polling writes many). */
const ANNOUNCE_EVERY_MS = 250;

/**
 * The command log as the server writes it: stores every entry through the repository and tells
 * live subscribers on every instance (the Command log page) that something new arrived. core's
 * SSH pool is given this as its CommandLogSink.
 */
export class CommandLogFeed implements CommandLogSink {
  #announcing: NodeJS.Timeout | null = null;

  constructor(
    readonly repository: CommandLogRepository,
    private readonly bus: EventBus,
  ) {}

  async record(entry: CommandRecord): Promise<void> {
    await this.repository.record(entry);
    this.announce();
  }

  async recordAction(entry: ActionRecord): Promise<void> {
    await this.repository.recordAction(entry);
    this.announce();
  }

  /**
   * An operation whose Corral died, as its recovery found it: `<operation>.interrupted`, failed,
   * from when its lock was taken, by whoever held it.
   */
  recordInterrupted(lock: VmLock, detail: Record<string, unknown>, error: string): Promise<void> {
    return this.recordAction({
      actorId: lock.holderId,
      actorName: lock.holderName,
      action: `${lock.operation}.interrupted`,
      clusterId: lock.clusterId,
      vm: lock.vm,
      detail,
      ok: false,
      error,
      startedAt: lock.since,
      durationMs: Date.now() - lock.since.getTime(),
    });
  }

  /** Yields after new entries on any instance (a burst once) until `signal` aborts. */
  changes(signal: AbortSignal | undefined): AsyncGenerator<void> {
    return pulses(this.bus, RECORDED, signal);
  }

  /** Tells every instance's pages that entries arrived (also those written in a transaction). */
  announce(): void {
    this.#announcing ??= setTimeout(() => {
      this.#announcing = null;
      void this.bus.publish(RECORDED, null).catch(() => {});
    }, ANNOUNCE_EVERY_MS);
    this.#announcing.unref();
  }
}
