import { EventEmitter, once } from "node:events";
import type { Inventory } from "./inventory.types.ts";
import type { InventoryDelta, InventoryFeedMessage } from "./inventory-delta.ts";

/** Deltas kept per cluster for subscribers a few versions behind; further back gets a snapshot. */
const HISTORY = 64;

interface ClusterFeed {
  version: number;
  inventory: Inventory;
  /** The snapshot message of `version`, encoded on first demand. */
  snapshot: string | null;
  /** Encoded delta messages, oldest first, the last one ending at `version`. */
  deltas: { from: number; encoded: string }[];
}

/**
 * The live stream's shared state: per cluster a version, each change encoded once (JSON) as a
 * delta, and the whole inventory encoded once per version on demand. Every subscriber reads
 * the same strings; serving one costs a string concatenation per change, whatever the size of
 * the inventory or the number of subscribers.
 */
export class InventoryFeed {
  readonly #clusters = new Map<string, ClusterFeed>();
  readonly #wake = new EventEmitter().setMaxListeners(0);
  /** Bumped by every publication: a follower compares it to know it missed nothing. */
  #generation = 0;

  /** A new version of a cluster: its whole inventory, and what changed (null: start over). */
  publish(inventory: Inventory, delta: InventoryDelta | null): void {
    const feed = this.#clusters.get(inventory.clusterId);
    if (!feed || delta === null) {
      this.#clusters.set(inventory.clusterId, {
        version: (feed?.version ?? 0) + 1,
        inventory,
        snapshot: null,
        deltas: [],
      });
    } else {
      const from = feed.version;
      feed.version++;
      feed.inventory = inventory;
      feed.snapshot = null;
      const message: InventoryFeedMessage = {
        kind: "delta",
        clusterId: inventory.clusterId,
        from,
        version: feed.version,
        delta,
      };
      feed.deltas.push({ from, encoded: JSON.stringify(message) });
      if (feed.deltas.length > HISTORY) feed.deltas.shift();
    }
    this.#bump();
  }

  remove(clusterId: string): void {
    if (!this.#clusters.delete(clusterId)) return;
    this.#bump();
  }

  /**
   * Yields JSON arrays of messages until `signal` aborts: every cluster's snapshot first, then
   * per change the deltas this subscriber has not had yet. A subscriber that fell behind the
   * kept history (a slow reader, a stream stalled) gets a snapshot instead; it never queues
   * more than one pending answer, whatever happens meanwhile.
   */
  async *follow(signal: AbortSignal | undefined): AsyncGenerator<string> {
    const sent = new Map<string, number>();
    let first = true;
    while (!signal?.aborted) {
      const generation = this.#generation;
      const messages: string[] = [];
      for (const [clusterId, feed] of this.#clusters) {
        const have = sent.get(clusterId);
        if (have === feed.version) continue;
        const start = feed.deltas.findIndex((delta) => delta.from === have);
        if (have === undefined || start < 0) messages.push(this.#snapshot(feed));
        else messages.push(...feed.deltas.slice(start).map((delta) => delta.encoded));
        sent.set(clusterId, feed.version);
      }
      for (const clusterId of sent.keys()) {
        if (this.#clusters.has(clusterId)) continue;
        sent.delete(clusterId);
        messages.push(JSON.stringify({ kind: "removed", clusterId }));
      }
      // The first answer goes out even empty: the page then knows there is no cluster.
      if (messages.length || first) yield `[${messages.join(",")}]`;
      first = false;
      if (generation === this.#generation) {
        try {
          await once(this.#wake, "change", { signal });
        } catch (error) {
          if ((error as Error).name === "AbortError") return;
          throw error;
        }
      }
    }
  }

  #snapshot(feed: ClusterFeed): string {
    const message: InventoryFeedMessage = {
      kind: "snapshot",
      clusterId: feed.inventory.clusterId,
      version: feed.version,
      inventory: feed.inventory,
    };
    feed.snapshot ??= JSON.stringify(message);
    return feed.snapshot;
  }

  #bump(): void {
    this.#generation++;
    this.#wake.emit("change");
  }
}
