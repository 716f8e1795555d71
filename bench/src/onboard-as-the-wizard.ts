import { readAgentBundle } from "@corral/agent";
import {
  type AgentMetadata,
  defaultResourceOptions,
  ensureAgent,
  newOnboardingJob,
  ONBOARDING_STEPS,
  type OnboardingJob,
  type OnboardingStep,
  parseAgentMetadata,
  proposeResourceOptions,
  readAgentMetadataXml,
  runOnboardingStep,
  SshPool,
  updateOnboardingJob,
} from "@corral/core";
import { OnboardingRepository, VmLockRepository } from "@corral/db";
import { createTestDatabase } from "@corral/db/testing";
import { type LabInfo, labNodeTarget } from "@corral/lab";

const actor = { actorId: null, actorName: "bench" };

function expectValue<T>(result: { ok: true; value: T } | { ok: false; error: Error }): T {
  if (!result.ok) throw result.error;
  return result.value;
}

export interface WizardRun {
  job: OnboardingJob;
  store: OnboardingRepository;
  stepSeconds: [OnboardingStep, number][];
  metadata: AgentMetadata;
  dispose(): Promise<void>;
}

/**
 * Onboards a lab guest the way the wizard does with its defaults: every step through core's
 * runner on a real SQLite store with the VM locks, the resource options the wizard proposes after
 * its migration check, so the benches measure the resource operators get, not a typed pcs one.
 */
export async function onboardAsTheWizard(info: LabInfo, vm: string): Promise<WizardRun> {
  const database = await createTestDatabase("sqlite");
  const pool = new SshPool({ log: { record: async () => {} } });
  const dispose = async () => {
    await pool.close();
    await database.dispose();
  };
  try {
    const nodes = await Promise.all(info.nodes.map(labNodeTarget));
    const bundle = readAgentBundle();
    for (const node of nodes) expectValue(await ensureAgent(pool, node, bundle));
    const [first] = nodes;
    if (!first) throw new Error("the lab has no node");
    const metadata = parseAgentMetadata(expectValue(await readAgentMetadataXml(pool, first)).xml);
    const store = new OnboardingRepository(database.database.client);
    const deps = {
      pool,
      store,
      locks: new VmLockRepository(database.database.client),
      clusterNodes: nodes,
    };
    const created = newOnboardingJob({
      clusterId: "bench",
      vm,
      resourceName: vm,
      allowedNodes: nodes.map((n) => n.id),
      // The wizard's first form as it comes.
      settings: {
        configPath: `/etc/pacemaker/${vm}.xml`,
        shutdownTimeoutS: 60,
        startTimeoutS: 120,
        guestAlive: { kind: "console", pattern: "login:" },
        migrationNetworkSuffix: null,
        resourceOptions: null,
      },
      actor,
    });
    await store.createJob(created);
    const stepSeconds: [OnboardingStep, number][] = [];
    for (const step of ONBOARDING_STEPS) {
      if (step === "create") {
        const job = await store.findJob(created.id);
        if (!job) throw new Error("the job vanished");
        await updateOnboardingJob(
          store,
          job.id,
          {
            settings: {
              resourceOptions: proposeResourceOptions(defaultResourceOptions(metadata), job),
            },
          },
          nodes.map((n) => n.id),
        );
      }
      const began = performance.now();
      const after = await runOnboardingStep(deps, created.id, { step }, actor);
      stepSeconds.push([step, (performance.now() - began) / 1000]);
      if (after.steps[step].state !== "succeeded") {
        throw new Error(`${step} failed: ${after.steps[step].message}`);
      }
    }
    const job = await store.findJob(created.id);
    if (!job) throw new Error("the job vanished");
    return { job, store, stepSeconds, metadata, dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}
