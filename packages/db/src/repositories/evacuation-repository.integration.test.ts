import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, TEST_PROVIDERS, type TestDatabase } from "../testing/test-database.ts";
import { EvacuationRepository } from "./evacuation-repository.ts";

const ada = { actorId: "u-ada", actorName: "ada@example.test" };

describe.each(TEST_PROVIDERS)("evacuations on %s", (provider) => {
  let test: TestDatabase;
  let evacuations: EvacuationRepository;

  beforeAll(async () => {
    test = await createTestDatabase(provider);
    evacuations = new EvacuationRepository(test.database.client);
  });
  afterAll(() => test?.dispose());

  it("keeps each node's latest drain with where its VMs went, and when they were brought back", async () => {
    const older = await evacuations.start({
      id: randomUUID(),
      clusterId: "c1",
      node: "node1",
      ...ada,
      resources: ["web1"],
    });
    await evacuations.finish(older.id, { state: "failed", outcome: null, error: "pcs failed" });
    const latest = await evacuations.start({
      id: randomUUID(),
      clusterId: "c1",
      node: "node1",
      ...ada,
      resources: ["web1", "local1"],
    });
    expect(latest).toMatchObject({
      state: "running",
      resources: ["web1", "local1"],
      outcome: null,
    });
    const outcome = {
      vms: [
        { resource: "web1", to: "node2", how: "live" as const, reason: null },
        { resource: "local1", to: null, how: "stopped" as const, reason: null },
      ],
      stillRunning: [],
      safeToReboot: true,
    };
    await evacuations.finish(latest.id, { state: "drained", outcome, error: null });
    const other = await evacuations.start({
      id: randomUUID(),
      clusterId: "c1",
      node: "node2",
      ...ada,
      resources: [],
    });
    await evacuations.start({
      id: randomUUID(),
      clusterId: "c2",
      node: "node1",
      ...ada,
      resources: ["db1"],
    });

    const perNode = await evacuations.latestPerNode("c1");
    expect(perNode.map((entry) => [entry.node, entry.id])).toEqual([
      ["node2", other.id],
      ["node1", latest.id],
    ]);
    expect(perNode[1]).toMatchObject({ state: "drained", outcome, error: null, returnedAt: null });
    await evacuations.markReturned(latest.id);
    expect((await evacuations.get(latest.id))?.returnedAt).toBeInstanceOf(Date);
  });

  it("records a drain whose Corral stopped interrupted, once: a finished one stays as it ended", async () => {
    const entry = await evacuations.start({
      id: randomUUID(),
      clusterId: "c3",
      node: "node1",
      ...ada,
      resources: ["web1"],
    });
    expect((await evacuations.listRunning()).map((running) => running.id)).toContain(entry.id);
    await evacuations.interrupt(entry.id);
    expect(await evacuations.get(entry.id)).toMatchObject({
      state: "interrupted",
      error: expect.stringMatching(/^Corral stopped while the node drained/),
    });
    expect((await evacuations.listRunning()).map((running) => running.id)).not.toContain(entry.id);
    const done = await evacuations.start({
      id: randomUUID(),
      clusterId: "c3",
      node: "node2",
      ...ada,
      resources: [],
    });
    await evacuations.finish(done.id, { state: "failed", outcome: null, error: "pcs failed" });
    await evacuations.interrupt(done.id);
    expect(await evacuations.get(done.id)).toMatchObject({ state: "failed", error: "pcs failed" });
  });
});
