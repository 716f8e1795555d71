/**
 * At most `max` uses per `windowMs` for each key, counted in this process's memory (one process
 * serves Corral's API; a restart forgets, which only ever lets more through).
 */
export class RateLimit {
  readonly #uses = new Map<string, number[]>();

  constructor(
    readonly max: number,
    readonly windowMs: number,
  ) {}

  /** Counts one use of `key`; false (and not counted) when it already had `max` in the window. */
  take(key: string, now = Date.now()): boolean {
    const recent = (this.#uses.get(key) ?? []).filter((at) => now - at < this.windowMs);
    if (recent.length >= this.max) {
      this.#uses.set(key, recent);
      return false;
    }
    recent.push(now);
    this.#uses.set(key, recent);
    return true;
  }
}
