import { type NodeTestResult, newOnboardingJob } from "@corral/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, TEST_PROVIDERS, type TestDatabase } from "../testing/test-database.ts";
import { OnboardingRepository } from "./onboarding-repository.ts";

const settings = {
  configPath: "/etc/pacemaker/web1.xml",
  shutdownTimeoutS: 60,
  startTimeoutS: 90,
  guestAlive: { kind: "console" as const, pattern: "login:" },
  migrationNetworkSuffix: null,
  resourceOptions: null,
};

function job(vm: string) {
  return newOnboardingJob({
    clusterId: "c1",
    vm,
    resourceName: vm,
    allowedNodes: ["node1", "node2"],
    settings,
    actor: { actorId: null, actorName: "Ada" },
  });
}

describe.each(TEST_PROVIDERS)("onboarding repository on %s", (provider) => {
  let test: TestDatabase;
  let store: OnboardingRepository;

  beforeAll(async () => {
    test = await createTestDatabase(provider);
    store = new OnboardingRepository(test.database.client);
  });
  afterAll(() => test?.dispose());

  it("keeps a job's steps, per-node progress and log across save and load", async () => {
    const created = job("web1");
    await store.createJob(created);
    created.steps.distribute.nodes.push({
      node: "node2",
      state: "failed",
      message: "unreachable",
      ms: null,
    });
    created.log.push({
      at: "2026-01-01T00:00:00.000Z",
      level: "error",
      message: "unreachable",
      node: "node2",
    });
    created.state = "running";
    created.currentStep = "distribute";
    await store.saveJob(created);
    const loaded = await store.findJob(created.id);
    expect(loaded).toMatchObject({
      vm: "web1",
      state: "running",
      currentStep: "distribute",
      allowedNodes: ["node1", "node2"],
      settings,
      log: [{ message: "unreachable", node: "node2" }],
    });
    expect(loaded?.steps.distribute.nodes).toEqual([
      { node: "node2", state: "failed", message: "unreachable", ms: null },
    ]);
    expect((await store.findOpenJob("c1", "web1"))?.id).toBe(created.id);
    expect(await store.findOpenJob("c1", "db1")).toBeNull();
  });

  it("marks a running job interrupted with the step it was in, once", async () => {
    const [running] = await store.listJobs({ state: "running", limit: 10 });
    const interrupted = await store.interruptJob(running?.id ?? "", {
      runningOn: [],
      note: "web1 runs on no node.",
    });
    expect(interrupted).toMatchObject({
      state: "interrupted",
      interruption: { step: "distribute", runningOn: [], note: "web1 runs on no node." },
    });
    expect(
      await store.interruptJob(running?.id ?? "", { runningOn: null, note: "again" }),
    ).toBeNull();
    // The step it cut off and the log line are in the same conditional write.
    const stored = await store.findJob(running?.id ?? "");
    expect(stored?.state).toBe("interrupted");
    expect(stored?.steps.distribute).toMatchObject({
      state: "failed",
      message: "Interrupted: Corral stopped while this step ran.",
    });
    expect(stored?.log.at(-1)).toMatchObject({
      level: "warn",
      message: "Interrupted during distribute; web1 runs on no node.",
    });
  });

  it("records test results and lists them newest first, per VM", async () => {
    const result = (
      node: string,
      at: string,
      outcome: NodeTestResult["outcome"],
    ): NodeTestResult => ({
      id: `${node}-${at}`,
      clusterId: "c1",
      vm: "web1",
      node,
      jobId: null,
      outcome,
      startOk: outcome === "succeeded",
      startMs: 1200,
      stopOk: outcome === "succeeded",
      stopMs: 400,
      stopMethod: outcome === "succeeded" ? "graceful" : "destroy",
      error: outcome === "succeeded" ? null : "graceful shutdown did not finish",
      phases: [{ name: "start", ok: true, ms: 1200, detail: null }],
      commands: [["virsh", "create", "/etc/pacemaker/web1.xml"]],
      output: "log",
      actorId: null,
      actorName: "Ada",
      testedAt: new Date(at),
    });
    await store.recordTestResult(result("node1", "2026-01-01T00:00:00Z", "failed"));
    await store.recordTestResult(result("node1", "2026-01-02T00:00:00Z", "succeeded"));
    const listed = await store.listTestResults({ clusterId: "c1", vm: "web1", limit: 10 });
    expect(listed.map((r) => [r.node, r.outcome])).toEqual([
      ["node1", "succeeded"],
      ["node1", "failed"],
    ]);
    expect(listed[0]?.phases).toEqual([{ name: "start", ok: true, ms: 1200, detail: null }]);
    expect(await store.listTestResults({ clusterId: "c2", limit: 10 })).toEqual([]);
  });
});
