import { EventEmitter, on } from "node:events";
import type { EventBus } from "@corral/db";

/** A settled operation's view stays this long, so a card opened just after still shows it. */
const KEEP_SETTLED_MS = 10 * 60_000;

/** Not running (settled, or interrupted until its owner reports after all). */
const isOver = (state: { state: string }) => state.state !== "running";

interface Versioned<State> {
  state: State;
  /** Raised by every transition; an older message arriving late is ignored. */
  version: number;
}

/**
 * The live views of one kind of operation across every Corral instance sharing the database.
 * The instance running an operation owns it: it alone applies the kind's pure transition
 * function to events, and publishes each new state on the bus; every instance (the owner too)
 * keeps the latest state per operation for its pages and subscriptions. Another instance reaches
 * an owned operation with `send` (a cancel clicked there) and records one whose owner died with
 * `takeOver` (lease recovery).
 */
export class LiveOperations<State extends { id: string; state: string }, Event> {
  readonly #views = new Map<string, Versioned<State>>();
  readonly #owned = new Set<string>();
  readonly #changes = new EventEmitter().setMaxListeners(0);
  readonly #expiry = new Map<string, NodeJS.Timeout>();
  readonly #unsubscribe: (() => void)[];

  constructor(
    private readonly bus: EventBus,
    private readonly topic: string,
    private readonly apply: (state: State, event: Event) => State,
    private readonly onError: (error: unknown) => void,
  ) {
    this.#unsubscribe = [
      bus.subscribe(topic, (message) => this.#receive(message as Versioned<State>)),
      bus.subscribe(`${topic}.event`, (message) => {
        const { id, event } = message as { id: string; event: Event };
        if (this.#owned.has(id)) void this.dispatch(id, event);
      }),
    ];
  }

  view(id: string): State | null {
    return this.#views.get(id)?.state ?? null;
  }

  list(filter: (state: State) => boolean): State[] {
    return [...this.#views.values()].map((entry) => entry.state).filter(filter);
  }

  /** This instance runs the operation from `initial` on; every instance hears of it. */
  async own(initial: State): Promise<State> {
    this.#owned.add(initial.id);
    await this.#publish({ state: initial, version: 1 });
    return initial;
  }

  /** The owner applies an event; the new state is published (and returned). */
  async dispatch(id: string, event: Event): Promise<State | null> {
    const current = this.#views.get(id);
    if (!current || !this.#owned.has(id)) return current?.state ?? null;
    const state = this.apply(current.state, event);
    if (state === current.state) return state;
    await this.#publish({ state, version: current.version + 1 });
    if (isOver(state)) this.#owned.delete(id);
    return state;
  }

  /** From any instance: the owner applies it (a cancel clicked on another instance). */
  async send(id: string, event: Event): Promise<void> {
    if (this.#owned.has(id)) await this.dispatch(id, event);
    else await this.bus.publish(`${this.topic}.event`, { id, event });
  }

  /**
   * Recovery of an operation whose owner stopped renewing its lease: the event is applied to
   * the last state heard of, here, and published. Null when no instance here heard of it.
   */
  async takeOver(id: string, event: Event): Promise<State | null> {
    const current = this.#views.get(id);
    if (!current) return null;
    const state = this.apply(current.state, event);
    if (state !== current.state) await this.#publish({ state, version: current.version + 1 });
    return state;
  }

  /** The operation's states as they change, until `signal` aborts. */
  async *changes(id: string, signal: AbortSignal | undefined): AsyncGenerator<State> {
    try {
      for await (const [state] of on(this.#changes, id, { signal })) yield state as State;
    } catch (error) {
      if ((error as Error).name !== "AbortError") throw error;
    }
  }

  close(): void {
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
    for (const timer of this.#expiry.values()) clearTimeout(timer);
  }

  async #publish(entry: Versioned<State>): Promise<void> {
    // Here at once (a request reading the view right after must find it), then everywhere.
    this.#receive(entry);
    await this.bus.publish(this.topic, entry).catch(this.onError);
  }

  #receive(entry: Versioned<State>): void {
    const known = this.#views.get(entry.state.id);
    if (known && known.version >= entry.version) return;
    this.#views.set(entry.state.id, entry);
    this.#changes.emit(entry.state.id, entry.state);
    clearTimeout(this.#expiry.get(entry.state.id));
    if (isOver(entry.state)) {
      this.#expiry.set(
        entry.state.id,
        setTimeout(() => {
          this.#views.delete(entry.state.id);
          this.#expiry.delete(entry.state.id);
        }, KEEP_SETTLED_MS).unref(),
      );
    }
  }
}
