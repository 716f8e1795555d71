import { spawn } from "node:child_process";
import { AppError } from "@corral/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, TEST_PROVIDERS, type TestDatabase } from "../testing/test-database.ts";
import { MigrationRepository } from "./migration-repository.ts";
import { VmLockRepository } from "./vm-lock-repository.ts";

const ada = { holderId: "u-ada", holderName: "ada@example.test" };
const bob = { holderId: "u-bob", holderName: "bob@example.test" };

/** The pid of a process that has exited: a Corral server that died. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
  await new Promise((resolve) => child.once("exit", resolve));
  return child.pid ?? 0;
}

describe.each(TEST_PROVIDERS)("VM locks and migrations on %s", (provider) => {
  let test: TestDatabase;
  let locks: VmLockRepository;

  beforeAll(async () => {
    test = await createTestDatabase(provider);
    locks = new VmLockRepository(test.database.client);
  });
  afterAll(() => test?.dispose());

  it("gives a VM to one operation; a second one learns who holds it, and what, since when", async () => {
    const { lock } = await locks.acquire({
      clusterId: "c1",
      vm: "web1",
      ...ada,
      operation: "vm.move",
      operationId: "m1",
    });
    expect(lock).toMatchObject({ clusterId: "c1", vm: "web1", operation: "vm.move" });
    const second = locks.acquire({ clusterId: "c1", vm: "web1", ...bob, operation: "vm.disable" });
    await expect(second).rejects.toThrow(AppError);
    await expect(second).rejects.toMatchObject({
      code: "VM_BUSY",
      message: expect.stringMatching(/^web1 is busy: vm\.move by ada@example\.test since 20\d\d-/),
    });
    // Another VM, and the same VM name on another cluster, are free.
    const other = await locks.acquire({ clusterId: "c1", vm: "db1", ...bob, operation: "x" });
    const elsewhere = await locks.acquire({ clusterId: "c2", vm: "web1", ...bob, operation: "x" });
    await locks.release(other.lock);
    await locks.release(elsewhere.lock);
    await locks.release(lock);
    expect(await locks.find("c1", "web1")).toBeNull();
  });

  it("lets exactly one of many concurrent takers win", async () => {
    const attempts = await Promise.allSettled(
      Array.from({ length: 8 }, (_, index) =>
        locks.acquire({ clusterId: "c1", vm: "race", ...ada, operation: `op${index}` }),
      ),
    );
    const won = attempts.filter((attempt) => attempt.status === "fulfilled");
    expect(won).toHaveLength(1);
    for (const attempt of attempts) {
      if (attempt.status === "rejected") expect(attempt.reason).toMatchObject({ code: "VM_BUSY" });
    }
    if (won[0]?.status === "fulfilled") await locks.release(won[0].value.lock);
  });

  it("releases the lock when the operation settles, even when it fails", async () => {
    const request = { clusterId: "c1", vm: "web1", ...ada, operation: "vm.restart" };
    await expect(
      locks.runExclusive(request, async () => {
        expect(await locks.find("c1", "web1")).toMatchObject({ operation: "vm.restart" });
        throw new AppError("COMMAND_FAILED", "pcs said no");
      }),
    ).rejects.toThrow("pcs said no");
    expect(await locks.find("c1", "web1")).toBeNull();
    expect(await locks.runExclusive(request, async () => 42)).toBe(42);
  });

  it("renews a held lock, so a live operation never looks stale", async () => {
    const quick = new VmLockRepository(test.database.client, {
      staleAfterMs: 400,
      renewEveryMs: 100,
    });
    await quick.runExclusive({ clusterId: "c1", vm: "long", ...ada, operation: "vm.move" }, () =>
      new Promise((resolve) => setTimeout(resolve, 1_000)).then(async () => {
        await expect(
          quick.acquire({ clusterId: "c1", vm: "long", ...bob, operation: "x" }),
        ).rejects.toMatchObject({ code: "VM_BUSY" });
      }),
    );
  });

  it("releases locks of dead servers at start-up and hands them back to be interrupted", async () => {
    const deadServer = new VmLockRepository(test.database.client, {
      instanceId: `${locks.instanceId.split(":")[0]}:${await deadPid()}`,
    });
    const otherHost = new VmLockRepository(test.database.client, {
      instanceId: "elsewhere.example.test:1",
    });
    await deadServer.acquire({
      clusterId: "c1",
      vm: "orphan",
      ...ada,
      operation: "vm.move",
      operationId: "m-dead",
    });
    await otherHost.acquire({
      clusterId: "c1",
      vm: "alive",
      ...bob,
      operation: "vm.move",
      operationId: "m-alive",
    });
    const released = await locks.releaseStale();
    expect(released.map((lock) => lock.operationId)).toEqual(["m-dead"]);
    // Another host's lock is only stale once it stops being renewed.
    expect(await locks.find("c1", "alive")).not.toBeNull();
    const later = new VmLockRepository(test.database.client, { staleAfterMs: 0 });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const { released: takenOver } = await later.acquire({
      clusterId: "c1",
      vm: "alive",
      ...ada,
      operation: "vm.enable",
    });
    expect(takenOver?.operationId).toBe("m-alive");
  });

  it("records migrations per VM and per cluster, newest first, and interrupts orphans", async () => {
    const migrations = new MigrationRepository(test.database.client);
    const base = {
      clusterId: "c-hist",
      fromNode: "node1",
      live: true,
      actorId: "u-ada",
      actorName: "ada@example.test",
    };
    await migrations.start({
      ...base,
      id: "h1",
      vm: "web1",
      toNode: "node2",
      startedAt: new Date("2026-01-01T00:00:00Z"),
    });
    await migrations.finish("h1", { result: "succeeded" }, new Date("2026-01-01T00:00:06.500Z"));
    await migrations.start({
      ...base,
      id: "h2",
      vm: "db1",
      toNode: "node3",
      live: false,
      startedAt: new Date("2026-01-01T00:01:00Z"),
    });
    await migrations.finish(
      "h2",
      { result: "failed", error: "libvirtd is not running on node3" },
      new Date("2026-01-01T00:01:09Z"),
    );
    await migrations.start({
      ...base,
      id: "h3",
      vm: "web1",
      toNode: "node3",
      startedAt: new Date("2026-01-01T00:02:00Z"),
    });
    await migrations.start({
      ...base,
      id: "h4",
      vm: "web1",
      toNode: "node1",
      startedAt: new Date("2026-01-01T00:03:00Z"),
    });
    expect(await migrations.interruptOrphans(["h4"])).toBe(1);
    // A settled migration stays as it was.
    await migrations.finish("h1", { result: "cancelled" });

    const perVm = await migrations.list({ clusterId: "c-hist", vm: "web1" });
    expect(perVm.map((entry) => [entry.id, entry.result])).toEqual([
      ["h4", "running"],
      ["h3", "interrupted"],
      ["h1", "succeeded"],
    ]);
    expect(perVm[2]).toMatchObject({ durationMs: 6_500, fromNode: "node1", toNode: "node2" });
    const perCluster = await migrations.list({ clusterId: "c-hist" });
    expect(perCluster.map((entry) => entry.id)).toEqual(["h4", "h3", "h2", "h1"]);
    expect(perCluster[2]).toMatchObject({
      live: false,
      result: "failed",
      error: "libvirtd is not running on node3",
    });
  });
});
