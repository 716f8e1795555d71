import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, type Database } from "./create-database.ts";
import { MAX_EVENT_BYTES, pulses } from "./event-bus.ts";
import { createTestDatabase, TEST_PROVIDERS, type TestDatabase } from "./testing/test-database.ts";

function received(database: Database, topic: string) {
  const messages: unknown[] = [];
  database.events.subscribe(topic, (message) => messages.push(message));
  return messages;
}

describe.each(TEST_PROVIDERS)("the event bus on %s", (provider) => {
  let test: TestDatabase;

  beforeAll(async () => {
    test = await createTestDatabase(provider);
  });
  afterAll(() => test?.dispose());

  it("delivers each message to every subscriber of its topic, the publisher's own included, as JSON", async () => {
    const moves = received(test.database, "move");
    const others = received(test.database, "retest");
    await test.database.events.publish("move", { id: "m1", at: new Date(0), n: 1 });
    await expect.poll(() => moves).toEqual([{ id: "m1", at: "1970-01-01T00:00:00.000Z", n: 1 }]);
    expect(others).toEqual([]);
  });

  it("refuses a message PostgreSQL could not carry, saying what to send instead", async () => {
    await expect(test.database.events.publish("move", "x".repeat(MAX_EVENT_BYTES))).rejects.toThrow(
      /send a pointer to the record instead/,
    );
  });

  it("coalesces a burst into one pulse for a subscriber that reads the record anew", async () => {
    const stop = new AbortController();
    const seen: number[] = [];
    const reading = (async () => {
      for await (const _ of pulses(
        test.database.events,
        "saved",
        stop.signal,
        (id) => id === "j1",
      )) {
        seen.push(Date.now());
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await test.database.events.publish("saved", "j1");
    await new Promise((resolve) => setTimeout(resolve, 50));
    for (let n = 0; n < 5; n++) await test.database.events.publish("saved", "j1");
    await test.database.events.publish("saved", "j2");
    await new Promise((resolve) => setTimeout(resolve, 600));
    stop.abort();
    await reading;
    // The first, then the burst of five while it was read: two pulses; j2 is not this job.
    expect(seen).toHaveLength(2);
  });
});

describe("the event bus between two instances on one PostgreSQL", () => {
  let test: TestDatabase;
  let other: Database;

  beforeAll(async () => {
    test = await createTestDatabase("postgres");
    other = await createDatabase({ provider: "postgres", url: test.url });
  });
  afterAll(async () => {
    await other?.close();
    await test?.dispose();
  });

  it("what one instance publishes reaches the other's subscribers (LISTEN/NOTIFY)", async () => {
    const onOther = received(other, "command-log.recorded");
    await test.database.events.publish("command-log.recorded", null);
    await expect.poll(() => onOther).toEqual([null]);
  });
});
