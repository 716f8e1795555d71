/**
 * Bench P4 (issue 5): the onboarding of web1 on a 3-node lab of its own, every step through
 * core's runner with the real SQLite store and VM locks, against the time it spent waiting for
 * the VM itself: each boot and graceful shutdown of the start/stop tests plus pacemaker's start.
 * Goal: Corral's overhead (wall time beyond those waits) <= 20 %. Needs root. Run:
 * pnpm --filter @corral/bench bench:onboarding
 */
import { readAgentBundle } from "@corral/agent";
import {
  defaultResourceOptions,
  ensureAgent,
  type NodeTarget,
  newOnboardingJob,
  ONBOARDING_STEPS,
  type OnboardingDeps,
  type OnboardingStep,
  parseAgentMetadata,
  readAgentMetadataXml,
  runOnboardingStep,
  SshPool,
} from "@corral/core";
import { OnboardingRepository, VmLockRepository } from "@corral/db";
import { createTestDatabase } from "@corral/db/testing";
import { labNodeTarget, readLabInfo, runLab } from "@corral/lab";

const env = { CORRAL_LAB_NAME: "onbbench", CORRAL_LAB_SUBNET: "10.213.98.0/24" };
const OVERHEAD_GOAL = 0.2;
const actor = { actorId: null, actorName: "bench" };

function expectValue<T>(result: { ok: true; value: T } | { ok: false; error: Error }): T {
  if (!result.ok) throw result.error;
  return result.value;
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error("the onboarding bench must run as root");
  await runLab(["down"], { env });
  const database = await createTestDatabase("sqlite");
  const pool = new SshPool({ log: { record: async () => {} } });
  try {
    await runLab(["up"], { env });
    const info = await readLabInfo(env);
    const nodes = await Promise.all(info.nodes.map(labNodeTarget));
    const bundle = readAgentBundle();
    for (const node of nodes) expectValue(await ensureAgent(pool, node, bundle));
    const metadata = parseAgentMetadata(
      expectValue(await readAgentMetadataXml(pool, nodes[0] as NodeTarget)).xml,
    );
    const store = new OnboardingRepository(database.database.client);
    const deps: OnboardingDeps = {
      pool,
      store,
      locks: new VmLockRepository(database.database.client),
      clusterNodes: nodes,
    };
    const job = newOnboardingJob({
      clusterId: "bench",
      vm: "web1",
      resourceName: "web1",
      allowedNodes: nodes.map((n) => n.id),
      settings: {
        configPath: "/etc/pacemaker/web1.xml",
        shutdownTimeoutS: 60,
        startTimeoutS: 120,
        guestAlive: { kind: "console", pattern: "^corral-guest .* n=1\\b" },
        migrationNetworkSuffix: null,
        resourceOptions: defaultResourceOptions(metadata),
      },
      actor,
    });
    await store.createJob(job);

    const stepSeconds: [OnboardingStep, number][] = [];
    const began = performance.now();
    for (const step of ONBOARDING_STEPS) {
      const stepBegan = performance.now();
      const after = await runOnboardingStep(deps, job.id, { step }, actor);
      stepSeconds.push([step, (performance.now() - stepBegan) / 1000]);
      if (after.steps[step].state !== "succeeded") {
        throw new Error(`${step} failed: ${after.steps[step].message}`);
      }
    }
    const wallS = (performance.now() - began) / 1000;

    const tests = await store.listTestResults({ clusterId: "bench", vm: "web1", limit: 10 });
    const bootS = tests.reduce((sum, t) => sum + (t.startMs ?? 0), 0) / 1000;
    const shutdownS = tests.reduce((sum, t) => sum + (t.stopMs ?? 0), 0) / 1000;
    const done = await store.findJob(job.id);
    const pacemakerStartS =
      ((done?.steps.create.detail as { waitedMs?: number } | null)?.waitedMs ?? 0) / 1000;
    const waitedS = bootS + shutdownS + pacemakerStartS;
    const overhead = wallS / waitedS - 1;

    const row = (label: string, value: string) =>
      console.log(`${label.padEnd(44)} ${value.padStart(10)}`);
    console.log("Onboarding web1 on 3 lab nodes (P4)");
    for (const [step, seconds] of stepSeconds) row(`  step ${step}`, `${seconds.toFixed(1)} s`);
    row("wall time of the whole onboarding", `${wallS.toFixed(1)} s`);
    row(`  VM boots waited for (${tests.length} tests)`, `${bootS.toFixed(1)} s`);
    row("  graceful shutdowns waited for", `${shutdownS.toFixed(1)} s`);
    row("  pacemaker start waited for", `${pacemakerStartS.toFixed(1)} s`);
    row("sum of the waits on the VM", `${waitedS.toFixed(1)} s`);
    row("Corral overhead (wall / waits - 1)", `${(overhead * 100).toFixed(1)} %`);
    console.log(
      `goal: overhead <= ${OVERHEAD_GOAL * 100} %: ${overhead <= OVERHEAD_GOAL ? "met" : "NOT met"}`,
    );
  } finally {
    await pool.close();
    await database.dispose();
    await runLab(["down"], { env });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
