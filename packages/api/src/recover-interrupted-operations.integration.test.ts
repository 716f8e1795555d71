import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  applyBulk,
  drainLock,
  MAINTENANCE_LOCK,
  type MaintenanceState,
  newBulkState,
  newMaintenanceState,
  newOnboardingJob,
} from "@corral/core";
import {
  BulkActionRepository,
  ClusterRepository,
  CommandLogRepository,
  EvacuationRepository,
  MaintenanceRepository,
  MigrationRepository,
  OnboardingRepository,
  VmLockRepository,
} from "@corral/db";
import { createTestDatabase, TEST_PROVIDERS, type TestDatabase } from "@corral/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "./config.ts";
import { type CorralServer, createCorralServer } from "./server.ts";

/** The pid of a process that has exited: its locks are those of a Corral that stopped. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
  await new Promise((resolve) => child.once("exit", resolve));
  return child.pid ?? 0;
}

const ada = { holderId: null, holderName: "ada@example.test" };
const drainer = { actorId: null, actorName: "ada@example.test" };

function runningJob(vm: string) {
  const job = newOnboardingJob({
    clusterId: "c-rec",
    vm,
    resourceName: vm,
    allowedNodes: [],
    settings: {
      configPath: `/etc/pacemaker/${vm}.xml`,
      shutdownTimeoutS: 60,
      startTimeoutS: 90,
      guestAlive: null,
      migrationNetworkSuffix: null,
      resourceOptions: null,
    },
    actor: { actorId: null, actorName: "Ada" },
  });
  job.state = "running";
  job.currentStep = "test";
  job.steps.test.state = "running";
  return job;
}

/** A rolling maintenance at node2's work, as its Corral recorded it. */
function maintenanceAtWork(id: string, clusterId: string): MaintenanceState {
  return {
    ...newMaintenanceState({
      id,
      clusterId,
      nodes: ["node1", "node2", "node3"],
      work: { kind: "hook", command: "reboot" },
      retest: true,
      stopVms: [],
      actorName: "Ada",
      startedAt: Date.now(),
    }),
    current: 1,
    step: "work",
  };
}

describe.each(TEST_PROVIDERS)("start-up recovery on %s", (provider) => {
  let test: TestDatabase;
  let server: CorralServer;
  let dataDir: string;
  const jobs = { dead: runningJob("web1"), live: runningJob("db1") };

  beforeAll(async () => {
    test = await createTestDatabase(provider);
    const db = test.database.client;
    // A cluster without nodes: where each VM runs is checked, and it runs on no node.
    await new ClusterRepository(db).registerCluster({ id: "c-rec", name: "rec" }, []);
    const store = new OnboardingRepository(db);
    await store.createJob(jobs.dead);
    await store.createJob(jobs.live);
    const migrations = new MigrationRepository(db);
    const migration = {
      clusterId: "c-rec",
      fromNode: "node1",
      toNode: "node2",
      live: true,
      actorId: null,
      actorName: "Ada",
      startedAt: new Date(),
    };
    await migrations.start({ ...migration, id: "m-dead", vm: "app1" });
    await migrations.start({ ...migration, id: "m-live", vm: "app2" });
    const stopped = new VmLockRepository(db, {
      instanceId: `${os.hostname()}:${await deadPid()}`,
    });
    const running = new VmLockRepository(db, { instanceId: "elsewhere.example.test:1" });
    const lock = (vm: string, operation: string, operationId: string) => ({
      clusterId: "c-rec",
      vm,
      ...ada,
      operation,
      operationId,
    });
    await stopped.acquire(lock("web1", "onboarding", jobs.dead.id));
    await stopped.acquire(lock("app1", "vm.migrate", "m-dead"));
    await stopped.acquire(lock("api1", "vm.retest", "r-dead"));
    await stopped.acquire(lock("lb1", "vm.stop", "s-dead"));
    await running.acquire(lock("db1", "onboarding", jobs.live.id));
    await running.acquire(lock("app2", "vm.move", "m-live"));
    // Rolling maintenances hold their cluster's lease: one of the stopped Corral, one of a live
    // one elsewhere, and one whose Corral stopped before it took the lease.
    await new ClusterRepository(db).registerCluster({ id: "c-rec2", name: "rec2" }, []);
    await new ClusterRepository(db).registerCluster({ id: "c-rec3", name: "rec3" }, []);
    const maintenances = new MaintenanceRepository(db);
    await maintenances.create(maintenanceAtWork("00000000-0000-4000-8000-000000000001", "c-rec"));
    await maintenances.create(maintenanceAtWork("00000000-0000-4000-8000-000000000002", "c-rec2"));
    await maintenances.create(maintenanceAtWork("00000000-0000-4000-8000-000000000003", "c-rec3"));
    const maintenanceLock = (clusterId: string, operationId: string) => ({
      ...lock(MAINTENANCE_LOCK, "cluster.rolling-maintenance", operationId),
      clusterId,
    });
    // A bulk stop whose Corral stopped while it stopped web2, db2 not started yet.
    const bulk = newBulkState({
      id: "00000000-0000-4000-8000-0000000000b1",
      clusterId: "c-rec",
      action: "stop",
      target: null,
      concurrency: 1,
      actorName: "Ada",
      startedAt: Date.now(),
      items: [
        { resource: "web2", domain: "web2", skipped: null },
        { resource: "db2", domain: "db2", skipped: null },
      ],
    });
    await new BulkActionRepository(db).save(
      applyBulk(bulk, { type: "item-started", resource: "web2" }),
    );
    // Drains of a node: one of the stopped Corral, one a live Corral elsewhere still runs.
    const evacuations = new EvacuationRepository(db);
    for (const [id, node] of [
      ["00000000-0000-4000-8000-0000000000d1", "node1"],
      ["00000000-0000-4000-8000-0000000000d2", "node2"],
    ] as const) {
      await evacuations.start({ id, clusterId: "c-rec", node, ...drainer, resources: ["web3"] });
    }
    await stopped.acquire(
      lock(drainLock("node1"), "node.drain", "00000000-0000-4000-8000-0000000000d1"),
    );
    await running.acquire(
      lock(drainLock("node2"), "node.drain", "00000000-0000-4000-8000-0000000000d2"),
    );
    await stopped.acquire(maintenanceLock("c-rec", "00000000-0000-4000-8000-000000000001"));
    await running.acquire(maintenanceLock("c-rec2", "00000000-0000-4000-8000-000000000002"));

    dataDir = mkdtempSync(path.join(os.tmpdir(), "corral-recovery-test-"));
    const config = loadConfig({
      CORRAL_DATA_DIR: dataDir,
      CORRAL_AUTH_SECRET: "test-secret-test-secret-test-secret-0123",
      CORRAL_LOG_LEVEL: "warn",
    });
    server = await createCorralServer(config, { database: test.database });
  });
  afterAll(async () => {
    await server?.close();
    await test?.dispose();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it("hands each stale lock to its owner: the job and the migration of a stopped Corral are interrupted", async () => {
    await server.recovered;
    const db = test.database.client;
    const store = new OnboardingRepository(db);
    const dead = await store.findJob(jobs.dead.id);
    expect(dead).toMatchObject({
      state: "interrupted",
      interruption: { step: "test", runningOn: [], note: "web1 runs on no node." },
    });
    expect(dead?.steps.test.state).toBe("failed");
    expect((await store.findJob(jobs.live.id))?.state).toBe("running");

    const history = await new MigrationRepository(db).list({ clusterId: "c-rec" });
    expect(Object.fromEntries(history.map((entry) => [entry.id, entry.result]))).toEqual({
      "m-dead": "interrupted",
      "m-live": "running",
    });
    // A re-test's resource may be left disabled: never enabled blindly, the log says what to do.
    const { entries } = await new CommandLogRepository(db).list(
      { vm: "api1", kind: "action" },
      { limit: 10 },
    );
    expect(entries).toEqual([
      expect.objectContaining({
        action: "vm.retest.interrupted",
        ok: false,
        stderr: expect.stringMatching(
          /left disabled and api1 runs on no node\. .*`pcs resource enable api1`/,
        ),
      }),
    ]);

    // A resource action: Pacemaker carries on; the log says it was cut off and where lb1 runs.
    const actions = await new CommandLogRepository(db).list(
      { vm: "lb1", kind: "action" },
      { limit: 10 },
    );
    expect(actions.entries).toEqual([
      expect.objectContaining({
        action: "vm.stop.interrupted",
        ok: false,
        stderr: expect.stringMatching(/^vm\.stop of lb1 was interrupted .* lb1 runs on no node\.$/),
      }),
    ]);

    const locks = await new VmLockRepository(db).list("c-rec");
    // Sorted here: the two databases order "@" differently.
    expect(locks.map((lock) => lock.vm).sort()).toEqual([drainLock("node2"), "app2", "db1"].sort());
  });

  it("pauses a rolling maintenance whose Corral stopped at the step it was in, and leaves a live one running", async () => {
    await server.recovered;
    const maintenances = new MaintenanceRepository(test.database.client);
    const state = async (n: number) =>
      (await maintenances.get(`00000000-0000-4000-8000-00000000000${n}`))?.state;
    for (const n of [1, 3]) {
      expect(await state(n)).toMatchObject({
        status: "paused",
        current: 1,
        step: "work",
        reason: expect.stringMatching(
          /^The Corral running this maintenance stopped during work on node2; .*Resume runs work on node2 again\. Resume first reads the node's boot identity/,
        ),
      });
    }
    expect(await state(2)).toMatchObject({ status: "running", step: "work", reason: null });
  });

  it("records a drain whose Corral stopped interrupted; one a live Corral runs goes on", async () => {
    await server.recovered;
    const evacuations = new EvacuationRepository(test.database.client);
    expect(await evacuations.get("00000000-0000-4000-8000-0000000000d1")).toMatchObject({
      state: "interrupted",
      error: expect.stringMatching(/^Corral stopped while the node drained/),
    });
    expect((await evacuations.get("00000000-0000-4000-8000-0000000000d2"))?.state).toBe("running");
  });

  it("records a bulk action whose Corral stopped interrupted: the VM it was working failed with why, the rest not run", async () => {
    await server.recovered;
    const bulk = await new BulkActionRepository(test.database.client).get(
      "00000000-0000-4000-8000-0000000000b1",
    );
    expect(bulk?.status).toBe("interrupted");
    expect(bulk?.items.map((item) => [item.resource, item.state])).toEqual([
      ["web2", "failed"],
      ["db2", "not-run"],
    ]);
  });
});
