import { describe, expect, it, vi } from "vitest";
import type { Inventory } from "./inventory.types.ts";
import type { InventoryFeedMessage } from "./inventory-delta.ts";
import { InventoryFeed } from "./inventory-feed.ts";

const inventory = (clusterId: string, statusError: string | null = null): Inventory => ({
  clusterId,
  clusterName: clusterId,
  refreshedAt: new Date(0),
  summary: null,
  statusError,
  nodes: [],
  vms: [],
  failedActions: [],
  constraints: [],
  migrationPaths: null,
});

const read = async (stream: AsyncGenerator<string>) =>
  JSON.parse((await stream.next()).value as string) as InventoryFeedMessage[];

describe("InventoryFeed", () => {
  it("starts each subscriber with snapshots, then sends it deltas only", async () => {
    const feed = new InventoryFeed();
    feed.publish(inventory("c1"), null);
    const abort = new AbortController();
    const stream = feed.follow(abort.signal);
    expect(await read(stream)).toMatchObject([{ kind: "snapshot", clusterId: "c1", version: 1 }]);
    const next = read(stream);
    feed.publish(inventory("c1", "x"), { refreshedAt: new Date(1), statusError: "x" });
    expect(await next).toMatchObject([
      { kind: "delta", from: 1, version: 2, delta: { statusError: "x" } },
    ]);
    abort.abort();
    expect((await stream.next()).done).toBe(true);
  });

  it("answers an empty first message when there is no cluster, and tells removals", async () => {
    const feed = new InventoryFeed();
    const stream = feed.follow(undefined);
    expect(await read(stream)).toEqual([]);
    const next = read(stream);
    feed.publish(inventory("c1"), null);
    expect(await next).toMatchObject([{ kind: "snapshot", clusterId: "c1" }]);
    const removal = read(stream);
    feed.remove("c1");
    expect(await removal).toEqual([{ kind: "removed", clusterId: "c1" }]);
  });

  it("gives a subscriber that fell behind the kept deltas a snapshot instead", async () => {
    const feed = new InventoryFeed();
    feed.publish(inventory("c1"), null);
    const stream = feed.follow(undefined);
    await read(stream);
    for (let i = 0; i < 100; i++) {
      feed.publish(inventory("c1", String(i)), {
        refreshedAt: new Date(i),
        statusError: String(i),
      });
    }
    expect(await read(stream)).toMatchObject([
      { kind: "snapshot", version: 101, inventory: { statusError: "99" } },
    ]);
  });

  it("encodes each change once, whatever the number of subscribers", async () => {
    const feed = new InventoryFeed();
    feed.publish(inventory("c1"), null);
    const streams = Array.from({ length: 10 }, () => feed.follow(undefined));
    await Promise.all(streams.map(read));
    const pending = streams.map(read);
    const stringify = vi.spyOn(JSON, "stringify");
    feed.publish(inventory("c1", "x"), { refreshedAt: new Date(1), statusError: "x" });
    const received = await Promise.all(pending);
    const encodings = stringify.mock.calls.length;
    stringify.mockRestore();
    expect(encodings).toBe(1);
    expect(new Set(received.map((messages) => JSON.stringify(messages))).size).toBe(1);
  });
});
