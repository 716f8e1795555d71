import { EventEmitter } from "node:events";
import pg from "pg";
import { pgConfigFromUrl } from "./pg-connection.ts";

/**
 * Live events between the Corral processes sharing one database: an operation's progress, a
 * new command-log entry, a saved onboarding job. PostgreSQL carries them with LISTEN/NOTIFY, so
 * a browser on one instance sees what another runs; SQLite is one instance's embedded database,
 * so its bus stays in the process. Messages are JSON (both buses round-trip them, so a test on
 * SQLite catches what would not survive PostgreSQL) and small: a pointer to a record, or a view.
 */
export interface EventBus {
  /** Delivered to every subscriber of `topic` in every instance, this one included. */
  publish(topic: string, message: unknown): Promise<void>;
  /** Returns the unsubscribe. */
  subscribe(topic: string, listener: (message: unknown) => void): () => void;
  close(): Promise<void>;
}

const CHANNEL = "corral_events";
/** PostgreSQL refuses a NOTIFY payload of 8000 bytes or more. */
export const MAX_EVENT_BYTES = 7_900;

function encode(topic: string, message: unknown): string {
  const payload = JSON.stringify({ topic, message });
  if (Buffer.byteLength(payload) > MAX_EVENT_BYTES) {
    throw new Error(
      `The ${topic} event is ${Buffer.byteLength(payload)} bytes, over the bus's ${MAX_EVENT_BYTES}: send a pointer to the record instead.`,
    );
  }
  return payload;
}

abstract class EmittingBus implements EventBus {
  readonly #emitter = new EventEmitter().setMaxListeners(0);

  abstract publish(topic: string, message: unknown): Promise<void>;
  abstract close(): Promise<void>;

  subscribe(topic: string, listener: (message: unknown) => void): () => void {
    this.#emitter.on(topic, listener);
    return () => this.#emitter.off(topic, listener);
  }

  protected deliver(payload: string): void {
    const { topic, message } = JSON.parse(payload) as { topic: string; message: unknown };
    this.#emitter.emit(topic, message);
  }
}

/** SQLite: one process, delivered on the next tick like a notification. */
export class InProcessEventBus extends EmittingBus {
  async publish(topic: string, message: unknown): Promise<void> {
    const payload = encode(topic, message);
    setImmediate(() => this.deliver(payload));
  }

  async close(): Promise<void> {}
}

/**
 * PostgreSQL: one connection LISTENs for this process and carries its NOTIFYs. A dropped
 * connection is opened again after a second; events sent meanwhile are lost, which the
 * subscribers tolerate (views are whole snapshots and records are read from the database).
 */
export class PostgresEventBus extends EmittingBus {
  #client: Promise<pg.Client> | null = null;
  #sending: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(
    private readonly url: string,
    private readonly onError: (error: unknown) => void = () => {},
  ) {
    super();
  }

  /** Listening before the first publish or subscribe returns, so nothing sent after is missed. */
  listen(): Promise<pg.Client> {
    this.#client ??= this.#connect();
    return this.#client;
  }

  async #connect(): Promise<pg.Client> {
    const client = new pg.Client(pgConfigFromUrl(this.url));
    client.on("notification", (notification) => {
      if (notification.channel === CHANNEL && notification.payload) {
        this.deliver(notification.payload);
      }
    });
    client.on("error", (error) => {
      this.onError(error);
      this.#client = null;
      void client.end().catch(() => {});
      if (!this.#closed) setTimeout(() => void this.listen().catch(this.onError), 1_000).unref();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
    } catch (error) {
      this.#client = null;
      await client.end().catch(() => {});
      throw error;
    }
    return client;
  }

  async publish(topic: string, message: unknown): Promise<void> {
    const payload = encode(topic, message);
    // One query at a time on the connection, in the order published.
    const sent = this.#sending.then(async () => {
      const client = await this.listen();
      await client.query("SELECT pg_notify($1, $2)", [CHANNEL, payload]);
    });
    this.#sending = sent.catch(() => {});
    await sent;
  }

  override subscribe(topic: string, listener: (message: unknown) => void): () => void {
    void this.listen().catch(this.onError);
    return super.subscribe(topic, listener);
  }

  async close(): Promise<void> {
    this.#closed = true;
    const client = this.#client;
    this.#client = null;
    if (client) await (await client.catch(() => null))?.end().catch(() => {});
  }
}

/**
 * Yields once whenever messages on `topic` (those `accept` takes) arrived since the last yield,
 * a burst coalesced into one, until `signal` aborts: for subscribers that read the record anew.
 */
export async function* pulses(
  bus: EventBus,
  topic: string,
  signal: AbortSignal | undefined,
  accept: (message: unknown) => boolean = () => true,
): AsyncGenerator<void> {
  let pending = false;
  let wake = () => {};
  const unsubscribe = bus.subscribe(topic, (message) => {
    if (!accept(message)) return;
    pending = true;
    wake();
  });
  const stop = () => wake();
  signal?.addEventListener("abort", stop);
  try {
    while (!signal?.aborted) {
      if (!pending) {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        continue;
      }
      pending = false;
      yield;
    }
  } finally {
    unsubscribe();
    signal?.removeEventListener("abort", stop);
  }
}
