import { EventEmitter, on } from "node:events";
import type { CommandLogSink, CommandRecord } from "@corral/core";
import type { ActionRecord, CommandLogRepository } from "@corral/db";

/**
 * The command log as the server writes it: stores every entry through the repository and tells
 * live subscribers (the Command log page) that something new arrived. core's SSH pool is given
 * this as its CommandLogSink.
 */
export class CommandLogFeed implements CommandLogSink {
  readonly #events = new EventEmitter().setMaxListeners(0);

  constructor(readonly repository: CommandLogRepository) {}

  async record(entry: CommandRecord): Promise<void> {
    await this.repository.record(entry);
    this.#events.emit("recorded");
  }

  async recordAction(entry: ActionRecord): Promise<void> {
    await this.repository.recordAction(entry);
    this.#events.emit("recorded");
  }

  /** Yields once per new entry until `signal` aborts. */
  async *changes(signal: AbortSignal | undefined): AsyncGenerator<void> {
    try {
      for await (const _ of on(this.#events, "recorded", { signal })) yield;
    } catch (error) {
      if ((error as Error).name !== "AbortError") throw error;
    }
  }
}
