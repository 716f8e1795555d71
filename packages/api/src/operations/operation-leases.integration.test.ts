import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { fileURLToPath } from "node:url";
import { addCluster, addClusterInput, type OnboardingJob, type OnboardingStep } from "@corral/core";
import { startTestLab, type TestLab } from "@corral/core/testing";
import { createTestDatabase, type TestDatabase } from "@corral/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../config.ts";
import { appRouter } from "../routers/app.router.ts";
import type { RunStepInput } from "../routers/onboarding/onboarding-job.schema.ts";
import { type CorralServer, createCorralServer } from "../server.ts";
import { signIn, TEST_PASSWORD } from "../testing/test-server.ts";
import { createCallerFactory, createContext } from "../trpc.ts";

// Two Corral instances on one PostgreSQL, on a real lab: one runs an operation and is killed
// (kill -9), the other notices within the lease, records the operation interrupted with where
// the VM runs (checked against every node's virsh), and its subscribers see it live. Then the
// same on SQLite, where the instance that recovers is the one started again.

const LEASE_S = 6;
const RUN_INSTANCE = fileURLToPath(new URL("../testing/run-instance.ts", import.meta.url));
const OPERATOR = "ada@example.test";

const createCaller = createCallerFactory(appRouter);
type Caller = ReturnType<typeof createCaller>;

/** A Corral instance in a child process, driven over its stdin (testing/run-instance.ts). */
class Instance {
  readonly #answers = new Map<
    number,
    (line: { ok: boolean; value?: unknown; error?: string }) => void
  >();
  #next = 0;
  readonly ready: Promise<void>;

  private constructor(readonly child: ChildProcess) {
    let onReady = () => {};
    this.ready = new Promise((resolve) => {
      onReady = resolve;
    });
    if (!child.stdout) throw new Error("the instance has no stdout pipe");
    readline.createInterface({ input: child.stdout }).on("line", (text) => {
      const line = JSON.parse(text) as { ready?: boolean; id?: number; ok: boolean };
      if (line.ready) onReady();
      else if (line.id !== undefined) this.#answers.get(line.id)?.(line);
    });
  }

  static async start(env: NodeJS.ProcessEnv): Promise<Instance> {
    // One process (node --import tsx), so a kill -9 ends the instance itself.
    const child = spawn(process.execPath, ["--import", "tsx", RUN_INSTANCE], {
      env: { ...process.env, ...env, CORRAL_TEST_OPERATOR: OPERATOR },
      stdio: ["pipe", "pipe", "inherit"],
    });
    const instance = new Instance(child);
    await Promise.race([
      instance.ready,
      new Promise((_, reject) =>
        child.once("exit", (code) => reject(new Error(`instance exited ${code}`))),
      ),
    ]);
    return instance;
  }

  call<T>(procedure: string, input: unknown): Promise<T> {
    const id = ++this.#next;
    this.child.stdin?.write(`${JSON.stringify({ id, path: procedure, input })}\n`);
    return new Promise((resolve, reject) =>
      this.#answers.set(id, (line) =>
        line.ok ? resolve(line.value as T) : reject(new Error(line.error)),
      ),
    );
  }

  /**
   * Until this instance's live inventory shows `vm` as a resource and every node online (as
   * its VMs page would before an operator picks a target).
   */
  async untilManaged(clusterId: string, vm: string): Promise<void> {
    await expect
      .poll(
        async () => {
          const inventories = await this.call<
            {
              clusterId: string;
              nodes: { state: string }[];
              vms: { resource: { id: string } | null }[];
            }[]
          >("clusters.list", undefined);
          const inventory = inventories.find((each) => each.clusterId === clusterId);
          return (
            inventory?.nodes.every((node) => node.state === "online") &&
            inventory.vms.some((each) => each.resource?.id === vm)
          );
        },
        { timeout: 60_000 },
      )
      .toBe(true);
  }

  /** kill -9: no clean-up, no lease released. */
  async kill(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once("exit", resolve));
    this.child.kill("SIGKILL");
    await exited;
  }
}

/** The nodes whose libvirt runs the domain now (virsh list on every node). */
async function runningOn(lab: TestLab, domain: string): Promise<string[]> {
  const where: string[] = [];
  for (const node of lab.nodes) {
    const names = await lab.ssh(node.id, "virsh list --name");
    if (names.split("\n").includes(domain)) where.push(node.id);
  }
  return where;
}

/** Whether Pacemaker has stopped moving the resource (no Migrating/Starting/Stopping). */
async function settled(lab: TestLab, resource: string): Promise<boolean> {
  const xml = await lab.ssh("node1", "crm_mon --one-shot --output-as=xml");
  const match = new RegExp(`<resource id="${resource}"[^>]*role="([A-Za-z]+)"`).exec(xml);
  return match?.[1] === "Started" || match?.[1] === "Stopped";
}

/**
 * Reads a subscription as a browser would, until the returned function is called (it ends once
 * the stream yields again or ends, without waiting for that).
 */
function follow<T>(stream: AsyncIterable<T>, onValue: (value: T) => void): () => void {
  const iterator = stream[Symbol.asyncIterator]();
  let stopped = false;
  void (async () => {
    for (let next = await iterator.next(); !next.done && !stopped; next = await iterator.next()) {
      onValue(next.value);
    }
  })().catch(() => {});
  return () => {
    stopped = true;
    void iterator.return?.().catch(() => {});
  };
}

/**
 * Reads `read` every 500 ms until `done` holds for what it read, and returns that (expect.poll
 * cannot run in beforeAll, and these wait minutes for a job). `stuck` words the timeout.
 */
async function until<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs: number,
  stuck: (last: T) => string,
): Promise<T> {
  let value = await read();
  for (let waited = 0; !done(value); waited += 500) {
    if (waited > timeoutMs) throw new Error(stuck(value));
    await new Promise((resolve) => setTimeout(resolve, 500));
    value = await read();
  }
  return value;
}

function untilJob(caller: Caller, jobId: string, done: (job: OnboardingJob) => boolean) {
  return until(
    () => caller.onboarding.get({ jobId }),
    done,
    600_000,
    (job) => `job stuck: ${job.state} ${job.currentStep}`,
  );
}

/** Runs a step as the wizard does (the call returns at once) and waits for its outcome. */
async function runStep(caller: Caller, jobId: string, step: OnboardingStep) {
  const before = await caller.onboarding.get({ jobId });
  await caller.onboarding.runStep({ jobId, request: { step } } as RunStepInput);
  const job = await untilJob(
    caller,
    jobId,
    // Its log grows when it starts (or when it is refused): done once it no longer runs.
    (j) => j.state !== "running" && j.log.length > before.log.length,
  );
  expect(job.steps[step], job.error ?? "").toMatchObject({ state: "succeeded" });
}

describe("operation leases across instances", () => {
  let lab: TestLab;
  let database: TestDatabase;
  let a: CorralServer;
  let callerA: Caller;
  let clusterId: string;
  const dirs: string[] = [];
  const env = (url: string): NodeJS.ProcessEnv => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "corral-lease-"));
    dirs.push(dir);
    return {
      DATABASE_URL: url,
      CORRAL_DATA_DIR: dir,
      CORRAL_AUTH_SECRET: "lease-test-secret-lease-test-secret-0123",
      CORRAL_CREDENTIAL_KEY: credentialKey,
      CORRAL_OPERATION_LEASE_SECONDS: String(LEASE_S),
      CORRAL_LOG_LEVEL: "error",
    };
  };
  const credentialKey = randomBytes(32).toString("base64");

  /** Registers the lab cluster as its first operator would (what `register-lab` does). */
  async function registerLab(server: CorralServer): Promise<string> {
    const added = await addCluster(
      server.clusterServices,
      addClusterInput.parse({ nodes: lab.nodes }),
      {
        actorId: null,
      },
    );
    if (!added.ok) throw added.error;
    return added.value.clusterId;
  }

  beforeAll(async () => {
    lab = await startTestLab({ name: "engine", subnet: "10.213.160.0/24" });
    await lab.reset();
    database = await createTestDatabase("postgres");
    a = await createCorralServer(loadConfig(env(database.url)));
    await a.auth.api.createUser({
      body: { email: OPERATOR, password: TEST_PASSWORD, name: "Ada", role: "operator" },
    });
    callerA = createCaller(
      await createContext(a, await signIn(a, OPERATOR), { clientAddress: "127.0.0.1" }),
    );
    clusterId = await registerLab(a);
    // The wizard offers the VMs the live inventory lists: wait for web1 in it, as a page would.
    await until(
      () => a.clusterMonitor.inventory(clusterId),
      (inventory) => inventory?.vms.some((vm) => vm.name === "web1") ?? false,
      60_000,
      () => "the lab's web1 never showed in the inventory",
    );
  }, 300_000);

  afterAll(async () => {
    await a?.close();
    await database?.dispose();
    await lab?.down();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }, 300_000);

  it("kill -9 of the instance running an onboarding's start/stop test: the other records it interrupted within the lease, with where web1 runs, and can resume it", async () => {
    const job = await callerA.onboarding.start({
      clusterId,
      vm: "web1",
      resourceName: "web1",
      allowedNodes: lab.nodes.map((node) => node.id),
      settings: {
        configPath: "/etc/pacemaker/web1.xml",
        shutdownTimeoutS: 60,
        startTimeoutS: 120,
        guestAlive: { kind: "console", pattern: "login:" },
        migrationNetworkSuffix: null,
        resourceOptions: null,
      },
    });
    for (const step of ["preflight", "dump", "distribute", "storage", "migration"] as const) {
      await runStep(callerA, job.id, step);
    }
    // A's page follows the job live while B runs the test.
    const seenOnA: OnboardingJob["state"][] = [];
    const stopFollowing = follow(await callerA.onboarding.live({ jobId: job.id }), (seen) =>
      seenOnA.push(seen.state),
    );
    const b = await Instance.start(env(database.url));
    await b.call("onboarding.runStep", { jobId: job.id, request: { step: "test" } });
    // Killed while a node's test runs (web1 started there, or starting).
    await untilJob(callerA, job.id, (j) => j.steps.test.nodes.some((n) => n.state === "running"));
    expect(seenOnA).toContain("running");
    await b.kill();
    const killedAt = Date.now();
    const interrupted = await untilJob(callerA, job.id, (j) => j.state === "interrupted");
    const recoveredAfterMs = Date.now() - killedAt;
    console.log(`onboarding recovered ${recoveredAfterMs} ms after kill -9 (lease ${LEASE_S} s)`);
    expect(recoveredAfterMs).toBeLessThan(2 * LEASE_S * 1000);
    // What A recorded is what the nodes said then: one node or none. Since, the test's own job
    // on the node may have destroyed its domain (its Corral is gone), never started another.
    const recorded = interrupted.interruption?.runningOn ?? [];
    expect(recorded.length).toBeLessThanOrEqual(1);
    const where = await runningOn(lab, "web1");
    for (const node of where) expect(recorded).toContain(node);
    await expect.poll(() => seenOnA.at(-1), { timeout: 10_000 }).toBe("interrupted");
    stopFollowing();
    // The safe next step: resume, which runs the test again from a VM stopped everywhere.
    if (where.length) await lab.ssh(where[0] ?? "", "virsh destroy web1");
    await callerA.onboarding.resume({ jobId: job.id });
    await runStep(callerA, job.id, "test");
    const form = await callerA.onboarding.resourceForm({ clusterId, jobId: job.id });
    await callerA.onboarding.update({
      jobId: job.id,
      settings: { resourceOptions: form.defaults },
    });
    await runStep(callerA, job.id, "create");
    expect((await runningOn(lab, "web1")).length).toBe(1);
  }, 900_000);

  it("kill -9 of the instance running a live migration: A saw its progress, records it interrupted within the lease, and web1 ends on exactly one node", async () => {
    const [home = ""] = await runningOn(lab, "web1");
    const target = lab.nodes.map((node) => node.id).find((node) => node !== home) ?? "";
    // A slow migration network (2 MiB/s): the memory transfer lasts long enough to kill B in it.
    await lab.ssh(home, "virsh migrate-setspeed --domain web1 --bandwidth 2");
    const b = await Instance.start(env(database.url));
    await b.untilManaged(clusterId, "web1");
    const move = await b.call<{ id: string }>("vms.move", { clusterId, vm: "web1", target });
    const seenOnA: { state: string; phase: string; transferFraction: number | null }[] = [];
    const stopFollowing = follow(await callerA.vms.migration({ migrationId: move.id }), (seen) =>
      seenOnA.push(seen),
    );
    // B's progress reaches A: the memory transfer is under way.
    await expect
      .poll(() => seenOnA.some((s) => s.phase === "migrate_to" && s.transferFraction !== null), {
        timeout: 120_000,
      })
      .toBe(true);
    await b.kill();
    const killedAt = Date.now();
    await expect
      .poll(() => seenOnA.at(-1)?.state, { timeout: 2 * LEASE_S * 1000 })
      .toBe("interrupted");
    console.log(
      `migration recovered ${Date.now() - killedAt} ms after kill -9 (lease ${LEASE_S} s)`,
    );
    const [record] = await callerA.vms.history({ clusterId, vm: "web1" });
    expect(record).toMatchObject({ id: move.id, result: "interrupted" });
    expect(record?.error).toContain("Pacemaker goes on with the move without it");
    // Pacemaker finishes the move without Corral; A then records where web1 runs, which is
    // what every node's libvirt says: exactly one node.
    await lab.ssh(home, "virsh migrate-setspeed --domain web1 --bandwidth 0 || true");
    await expect
      .poll(async () => (await callerA.vms.history({ clusterId, vm: "web1" }))[0]?.error, {
        timeout: 300_000,
      })
      .toMatch(/Pacemaker settled without it: web1 runs on node\d only\./);
    const [ended] = await callerA.vms.history({ clusterId, vm: "web1" });
    expect(ended?.error).toContain(`web1 runs on ${(await runningOn(lab, "web1")).join("")} only.`);
    expect(await runningOn(lab, "web1")).toHaveLength(1);
    const { migrations } = await callerA.vms.activity({ clusterId });
    expect(migrations.find((m) => m.id === move.id)).toMatchObject({
      state: "interrupted",
      error: ended?.error,
    });
    stopFollowing();
    await callerA.vms.action({ clusterId, vm: "web1", action: "clear" } as never).catch(() => {});
  }, 600_000);

  it("on SQLite the instance started again records the migration it ran interrupted, with where web1 runs", async () => {
    const sqlite = await createTestDatabase("sqlite");
    try {
      const sqliteEnv = env(sqlite.url);
      const first = await createCorralServer(loadConfig(sqliteEnv));
      await first.auth.api.createUser({
        body: { email: OPERATOR, password: TEST_PASSWORD, name: "Ada", role: "operator" },
      });
      const sqliteCluster = await registerLab(first);
      await first.close();
      const [home = ""] = await runningOn(lab, "web1");
      const target = lab.nodes.map((node) => node.id).find((node) => node !== home) ?? "";
      await lab.ssh(home, "virsh migrate-setspeed --domain web1 --bandwidth 2");
      const b = await Instance.start(sqliteEnv);
      await b.untilManaged(sqliteCluster, "web1");
      const move = await b.call<{ id: string }>("vms.move", {
        clusterId: sqliteCluster,
        vm: "web1",
        target,
      });
      await expect
        .poll(
          async () => (await lab.ssh(home, "virsh domjobinfo web1 || true")).includes("Unbounded"),
          {
            timeout: 120_000,
          },
        )
        .toBe(true);
      await b.kill();
      await lab.ssh(home, "virsh migrate-setspeed --domain web1 --bandwidth 0 || true");
      await expect.poll(() => settled(lab, "web1"), { timeout: 240_000 }).toBe(true);
      const again = await Instance.start(sqliteEnv);
      const [record] = await again.call<{ id: string; result: string; error: string }[]>(
        "vms.history",
        {
          clusterId: sqliteCluster,
          vm: "web1",
        },
      );
      expect(record).toMatchObject({ id: move.id, result: "interrupted" });
      // Settled before the restart: where web1 runs follows within a few polls.
      await expect
        .poll(
          async () =>
            (
              await again.call<{ error: string }[]>("vms.history", {
                clusterId: sqliteCluster,
                vm: "web1",
              })
            )[0]?.error,
          { timeout: 60_000 },
        )
        .toMatch(/web1 runs on node\d only\./);
      expect(await runningOn(lab, "web1")).toHaveLength(1);
      await again.kill();
    } finally {
      await sqlite.dispose();
    }
  }, 600_000);
});
