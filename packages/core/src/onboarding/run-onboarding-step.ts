import { randomUUID } from "node:crypto";
import { type AgentLocation, agentArgv } from "../agent/agent-layout.ts";
import { parseAgentMetadata } from "../agent/parse-agent-metadata.ts";
import { readAgentMetadataXml } from "../agent/read-agent-metadata-xml.ts";
import { AppError } from "../errors.ts";
import {
  applyOnboarding,
  type OnboardingEvent,
  openOnboardingJob,
  settingsBlocker,
  stepBlocker,
} from "../operations/onboarding-operation.ts";
import { whereItRuns } from "../operations/where-it-runs.ts";
import type { Result } from "../result.ts";
import type { NodeTarget } from "../ssh/node-target.ts";
import { firstAnswer } from "../ssh/run-on-nodes.ts";
import type { SshPool } from "../ssh/ssh-pool.ts";
import {
  type ResourceOptions,
  resourceCreationCommands,
  validateResourceOptions,
} from "./build-resource-create-command.ts";
import {
  checkMigrationReadiness,
  LIVE_MIGRATION_PARAMS,
  migrationReadinessArgv,
} from "./check-migration-readiness.ts";
import {
  checkMonitorScripts,
  checkStorage,
  checkStorageArgv,
  describeUncheckable,
  listDomainStorage,
} from "./check-storage.ts";
import { checkStorageSources, checkStorageSourcesArgv } from "./check-storage-sources.ts";
import { createVirtualDomainResource } from "./create-virtual-domain-resource.ts";
import { distributeConfig, distributeConfigArgv } from "./distribute-config.ts";
import { dumpDomainConfig, dumpDomainConfigArgv } from "./dump-domain-config.ts";
import { ensureDomainRunsNowhere, locateDomain } from "./locate-domain.ts";
import type {
  JobLogLine,
  MigrationReadiness,
  NodeProgress,
  NodeTestResult,
  OnboardingJob,
  OnboardingSettings,
  OnboardingStep,
  OnboardingStore,
  StepDetails,
  StepProgress,
  VmOperationLock,
} from "./onboarding-job.types.ts";
import { preflightArgv, preflightVm } from "./preflight-vm.ts";
import {
  disableAutostart,
  disableAutostartArgv,
  shutdownDomain,
  shutdownDomainArgv,
  undefineDomainArgv,
} from "./prepare-domain.ts";
import {
  startStopTestCommands,
  startStopTestOf,
  testStartStopArgv,
  testStartStopOnNode,
} from "./test-start-stop-on-node.ts";

export interface OnboardingDeps {
  pool: SshPool;
  store: OnboardingStore;
  locks: VmOperationLock;
  /** Every node of the cluster, by node name: "runs nowhere" is checked on all of them. */
  clusterNodes: NodeTarget[];
  agentLocation?: AgentLocation;
  /** Called after every change that is saved, for live subscribers. */
  onUpdate?: (job: OnboardingJob) => void;
}

export interface OnboardingActor {
  actorId: string | null;
  actorName: string;
}

/** What the operator asks of each step. */
export interface StepRequests {
  preflight: {
    step: "preflight";
    /** Fixes the operator agreed to, done before the checks run again. */
    shutdown?: { destroyAfterTimeout: boolean };
    disableAutostart?: boolean;
  };
  dump: { step: "dump" };
  distribute: { step: "distribute" };
  storage: { step: "storage" };
  migration: {
    step: "migration";
    /** The operator accepts that moves between the pairs that fail will stop and start it. */
    acceptRestartMoves?: boolean;
  };
  test: { step: "test"; nodes?: string[] };
  create: { step: "create" };
}
export type StepRequest = StepRequests[OnboardingStep];

export function newOnboardingJob(input: {
  clusterId: string;
  vm: string;
  resourceName: string;
  allowedNodes: string[];
  settings: OnboardingSettings;
  actor: OnboardingActor;
  agentLocation?: AgentLocation;
}): OnboardingJob {
  const now = new Date();
  const job = openOnboardingJob(
    {
      id: randomUUID(),
      clusterId: input.clusterId,
      vm: input.vm,
      resourceName: input.resourceName,
      allowedNodes: input.allowedNodes,
      settings: input.settings,
      actorId: input.actor.actorId,
      actorName: input.actor.actorName,
    },
    now,
  );
  return applyOnboarding(job, {
    type: "commands-planned",
    commands: planCommands(job, input.agentLocation),
    at: now.toISOString(),
  });
}

/** The exact commands of every step, from what the job knows so far (shown before running). */
export function planCommands(
  job: OnboardingJob,
  location: AgentLocation = {},
): Record<OnboardingStep, string[][]> {
  const { settings, vm } = job;
  const sha = job.config?.sha256 ?? "<sha256 of the dumped file>";
  const storage = job.config ? listDomainStorage(job.config.xml) : null;
  return {
    preflight: [
      ...preflightArgv(job.resourceName, location),
      ...shutdownDomainArgv(vm, true),
      disableAutostartArgv(vm),
    ],
    dump: [dumpDomainConfigArgv({ domain: vm, path: settings.configPath }, location)],
    distribute: distributeConfigArgv({ path: settings.configPath, sha256: sha }, location),
    storage: storage
      ? [
          checkStorageArgv(storage.paths, location),
          ...checkStorageSourcesArgv(storage.uncheckable, location),
        ]
      : [
          agentArgv(
            "check-paths",
            ["<every disk, kernel, initrd and loader path in the XML>"],
            location,
          ),
        ],
    migration: migrationReadinessArgv(
      job.allowedNodes[0] ?? "",
      job.allowedNodes,
      migrationParamsOf(job),
    ),
    test: [testStartStopArgv(location), ...startStopTestCommands(startStopTestOf(job))],
    create: settings.resourceOptions
      ? [
          ...resourceCreationCommands({
            name: job.resourceName,
            configPath: settings.configPath,
            options: settings.resourceOptions,
            allowedNodes: job.allowedNodes,
          }),
          undefineDomainArgv(vm),
        ]
      : [],
  };
}

/**
 * The agent parameters a live migration of this job's resource will use: the chosen options',
 * or (before they are chosen) what the wizard proposes, with the job's migration network suffix.
 */
export function migrationParamsOf(
  job: Pick<OnboardingJob, "settings">,
  options: ResourceOptions | null = job.settings.resourceOptions,
): Record<string, string> {
  const suffix = job.settings.migrationNetworkSuffix;
  return {
    ...(options ? {} : LIVE_MIGRATION_PARAMS),
    ...(suffix ? { migration_network_suffix: suffix } : {}),
    ...Object.fromEntries(
      Object.entries(options?.params ?? {}).filter(([, value]) => value.trim() !== ""),
    ),
  };
}

/**
 * The options the form starts from: the agent's defaults, plus hypervisor=qemu:///system and
 * migration_transport=ssh (the URI the migration step tested) and the migration network suffix;
 * allow-migrate on only when every pair passed.
 */
export function proposeResourceOptions(
  defaults: ResourceOptions,
  job: Pick<OnboardingJob, "settings" | "steps">,
): ResourceOptions {
  const readiness = job.steps.migration.detail;
  return {
    ...defaults,
    params: { ...defaults.params, ...migrationParamsOf(job, null) },
    allowMigrate: defaults.allowMigrate && !readiness?.acceptedRestartMoves,
  };
}

/**
 * Runs one step of the job, holding the VM for the duration (one operation per VM), saving
 * every change (per-node progress, log) so a page that comes back later sees it all.
 */
export async function runOnboardingStep(
  deps: OnboardingDeps,
  jobId: string,
  request: StepRequest,
  actor: OnboardingActor,
): Promise<OnboardingJob> {
  const job = await findJob(deps.store, jobId);
  const blocker = stepBlocker(job, request.step);
  if (blocker) throw new AppError("CONFLICT", blocker);
  const context = {
    actorId: actor.actorId,
    clusterId: job.clusterId,
    vm: job.vm,
    ...deps.agentLocation,
  };
  return deps.locks.runExclusive(
    {
      clusterId: job.clusterId,
      vm: job.vm,
      holderId: actor.actorId,
      holderName: actor.actorName,
      operation: "onboarding",
      operationId: job.id,
    },
    async () => {
      // Read again under the lock: the job may have moved on since.
      const run = new StepRun(deps, await findJob(deps.store, jobId), request.step, actor);
      await run.begin();
      try {
        await runStepBody(run, request, context);
      } catch (error) {
        await run.fail(
          error instanceof AppError ? error.message : `Unexpected failure: ${String(error)}`,
        );
      }
      return run.job;
    },
  );
}

async function findJob(store: OnboardingStore, jobId: string): Promise<OnboardingJob> {
  const job = await store.findJob(jobId);
  if (!job) throw new AppError("NOT_FOUND", `No onboarding job ${jobId}.`);
  return job;
}

type Context = { actorId: string | null; clusterId: string; vm: string } & AgentLocation;

/** Events a step body reports about what it found or wrote, saved with the next change. */
type Finding = Extract<
  OnboardingEvent,
  { type: "domain-found" } | { type: "config-dumped" } | { type: "config-written" }
>;
type WithoutAt<E> = E extends unknown ? Omit<E, "at"> : never;

/** The bookkeeping of one step run: every change through applyOnboarding, saved and notified. */
class StepRun<S extends OnboardingStep> {
  #job: OnboardingJob;

  constructor(
    readonly deps: OnboardingDeps,
    job: OnboardingJob,
    readonly step: S,
    readonly actor: OnboardingActor,
  ) {
    this.#job = job;
  }

  get job(): OnboardingJob {
    return this.#job;
  }

  get progress(): StepProgress<StepDetails[S]> {
    return this.#job.steps[this.step];
  }

  targets(names: readonly string[]): NodeTarget[] {
    return names.map((name) => {
      const node = this.deps.clusterNodes.find((candidate) => candidate.id === name);
      if (!node)
        throw new AppError("NOT_FOUND", `Node ${name} is not a node of this cluster in Corral.`);
      return node;
    });
  }

  #apply(event: WithoutAt<OnboardingEvent>) {
    this.#job = applyOnboarding(this.#job, { ...event, at: new Date().toISOString() });
  }

  async begin() {
    this.#apply({ type: "step-started", step: this.step });
    if (this.#job.state !== "running" || this.#job.currentStep !== this.step) {
      throw new AppError("CONFLICT", stepBlocker(this.#job, this.step) ?? "");
    }
    await this.save();
  }

  log(level: JobLogLine["level"], message: string, node: string | null = null) {
    this.#apply({ type: "log", level, message, node });
  }

  record(finding: WithoutAt<Finding>) {
    this.#apply(finding);
  }

  async node(
    node: string,
    state: NodeProgress["state"],
    message: string,
    ms: number | null = null,
  ) {
    this.#apply({ type: "node-progress", node, state, message, ms });
    await this.save();
  }

  async succeed(message: string, detail: StepDetails[S] | null = this.progress.detail) {
    this.#apply({ type: "step-succeeded", step: this.step, message, detail });
    await this.save();
  }

  async fail(message: string, detail: StepDetails[S] | null = this.progress.detail) {
    this.#apply({ type: "step-failed", step: this.step, message, detail });
    await this.save();
  }

  async save() {
    this.#apply({
      type: "commands-planned",
      commands: planCommands(this.#job, this.deps.agentLocation),
    });
    await this.deps.store.saveJob(this.#job);
    this.deps.onUpdate?.(this.#job);
  }
}

function describe<T>(result: Result<T>): string {
  return result.ok ? "ok" : result.error.message;
}

type StepRunners = {
  [S in OnboardingStep]: (
    run: StepRun<S>,
    request: StepRequests[S],
    context: Context,
  ) => Promise<void>;
};

/** The body of the run's step, given the request for that step. */
function runStepBody<S extends OnboardingStep>(
  run: StepRun<S>,
  request: StepRequests[S],
  context: Context,
): Promise<void> {
  const body: StepRunners[S] = STEP_RUNNERS[run.step];
  return body(run, request, context);
}

const STEP_RUNNERS: StepRunners = {
  async preflight(run, request, context) {
    const { job } = run;
    const nodes = run.deps.clusterNodes;
    if (request.shutdown || request.disableAutostart) {
      const before = await preflightVm(
        run.deps.pool,
        nodes,
        { domain: job.vm, resourceName: job.resourceName },
        context,
      );
      if (!before.ok) return run.fail(before.error.message);
      for (const check of before.value.checks) {
        for (const name of check.nodes) {
          const [target] = run.targets([name]);
          if (!target) continue;
          if (check.fix === "shutdown" && request.shutdown) {
            await run.node(
              name,
              "running",
              `Shutting ${job.vm} down on ${name} (up to ${job.settings.shutdownTimeoutS} s)`,
            );
            const stopped = await shutdownDomain(
              run.deps.pool,
              target,
              {
                domain: job.vm,
                timeoutS: job.settings.shutdownTimeoutS,
                destroyAfterTimeout: request.shutdown.destroyAfterTimeout,
              },
              context,
            );
            if (!stopped.ok) {
              await run.node(name, "failed", stopped.error.message);
              return run.fail(stopped.error.message, before.value);
            }
            await run.node(
              name,
              "succeeded",
              `${job.vm} stopped on ${name} (${stopped.value.method === "graceful" ? "graceful shutdown" : "destroyed after the timeout"})`,
              stopped.value.ms,
            );
          }
          if (check.fix === "disable-autostart" && request.disableAutostart) {
            const done = await disableAutostart(run.deps.pool, target, job.vm, context);
            await run.node(
              name,
              done.ok ? "succeeded" : "failed",
              done.ok ? `Autostart turned off on ${name}` : describe(done),
            );
            if (!done.ok) return run.fail(describe(done), before.value);
          }
        }
      }
    }
    const report = await preflightVm(
      run.deps.pool,
      nodes,
      { domain: job.vm, resourceName: job.resourceName },
      context,
    );
    if (!report.ok) return run.fail(report.error.message);
    run.record({
      type: "domain-found",
      sourceNode: report.value.sourceNode,
      uuid: report.value.domain.uuid,
    });
    const failed = report.value.checks.filter((c) => !c.ok);
    if (failed.length > 0) return run.fail(failed.map((c) => c.message).join(" "), report.value);
    await run.succeed(
      `${job.vm} (defined on ${report.value.sourceNode}) is ready to be onboarded.`,
      report.value,
    );
  },

  async dump(run, _request, context) {
    const { job } = run;
    const [source] = run.targets([job.sourceNode ?? ""]);
    if (!source) return run.fail("Run preflight first.");
    await run.node(source.id, "running", `Dumping ${job.vm} to ${job.settings.configPath}`);
    const dumped = await dumpDomainConfig(
      run.deps.pool,
      source,
      { domain: job.vm, path: job.settings.configPath },
      context,
    );
    if (!dumped.ok) {
      await run.node(source.id, "failed", dumped.error.message);
      return run.fail(dumped.error.message);
    }
    run.record({
      type: "config-dumped",
      node: source.id,
      config: { sha256: dumped.value.sha256, bytes: dumped.value.bytes, xml: dumped.value.xml },
    });
    await run.node(
      source.id,
      "succeeded",
      `${dumped.value.path} written (${dumped.value.bytes} bytes, SHA-256 ${dumped.value.sha256.slice(0, 12)}…)`,
    );
    await run.succeed(`Config written to ${job.settings.configPath} on ${source.id}.`);
  },

  async distribute(run, _request, context) {
    const { job } = run;
    const config = job.config;
    if (!config) return run.fail("Dump the config first.");
    const previous = new Map(run.progress.nodes.map((n) => [n.node, n]));
    // A retry writes only to the nodes that did not get the file the last time.
    const targets = job.allowedNodes.filter(
      (name) => name !== job.sourceNode && previous.get(name)?.state !== "succeeded",
    );
    for (const name of job.allowedNodes) {
      const done = previous.get(name);
      if (name === job.sourceNode)
        await run.node(name, "skipped", `${name} holds the original dump`);
      else if (done?.state === "succeeded")
        await run.node(name, "succeeded", done.message, done.ms);
      else await run.node(name, "running", `Writing ${job.settings.configPath}`);
    }
    const results = await distributeConfig(
      run.deps.pool,
      run.targets(targets),
      { path: job.settings.configPath, ...config },
      context,
    );
    for (const { nodeId, result } of results) {
      if (result.ok) run.record({ type: "config-written", node: nodeId });
      await run.node(
        nodeId,
        result.ok ? "succeeded" : "failed",
        result.ok ? `SHA-256 verified on ${nodeId}` : result.error.message,
      );
    }
    const missing = results.filter((r) => !r.result.ok).map((r) => r.nodeId);
    if (missing.length > 0) {
      return run.fail(
        `The config did not reach ${missing.join(", ")}; the other nodes have it. Fix the node(s) and run this step again: it retries only those.`,
      );
    }
    await run.succeed(
      `Every allowed node has ${job.settings.configPath} with SHA-256 ${config.sha256.slice(0, 12)}…`,
    );
  },

  async storage(run, _request, context) {
    const { job } = run;
    if (!job.config) return run.fail("Dump the config first.");
    const { paths, uncheckable } = listDomainStorage(job.config.xml);
    // A VM on network storage alone would otherwise pass on zero paths without a word.
    const warnings = uncheckable.map(describeUncheckable);
    for (const warning of warnings) run.log("warn", warning);
    for (const name of job.allowedNodes)
      await run.node(name, "running", `Checking ${paths.length} path(s)`);
    const targets = run.targets(job.allowedNodes);
    const [report, sources] = await Promise.all([
      checkStorage(run.deps.pool, targets, paths, context),
      checkStorageSources(run.deps.pool, targets, uncheckable, context),
    ]);
    const problems = [
      ...report.problems.map((p) => ({
        node: p.node,
        what: `${p.path} (${p.use})`,
        problem: p.problem,
      })),
      ...sources.problems.map((p) => ({
        node: p.node,
        what: `${p.source} (${p.use})`,
        problem: p.problem,
      })),
    ];
    const ready: string[] = [];
    for (const { nodeId, result } of report.answers) {
      const sourceAnswer = sources.answers.find((a) => a.nodeId === nodeId)?.result;
      const own = problems.filter((p) => p.node === nodeId);
      if (!result.ok) await run.node(nodeId, "failed", result.error.message);
      else if (sourceAnswer && !sourceAnswer.ok)
        await run.node(nodeId, "failed", sourceAnswer.error.message);
      else if (own.length > 0)
        await run.node(nodeId, "failed", own.map((p) => `${p.what}: ${p.problem}`).join("; "));
      else {
        ready.push(nodeId);
        await run.node(nodeId, "succeeded", `All ${paths.length} path(s) readable`);
      }
    }
    const local = report.paths.filter((p) => p.nodeLocal).map((p) => p.path);
    const detail = {
      paths: report.paths,
      problems: report.problems,
      nodeLocal: local,
      uncheckable,
      sourceProblems: sources.problems,
    };
    const unchecked = warnings.length
      ? ` Not checkable from the nodes: ${warnings.join("; ")}.`
      : "";
    if (ready.length !== job.allowedNodes.length) {
      const bad = job.allowedNodes.filter((n) => !ready.includes(n));
      return run.fail(
        `Storage is missing or unreadable on ${bad.join(", ")}${local.length ? ` (node-local: ${local.join(", ")})` : ""}. Make it available there, or limit the allowed nodes to ${ready.join(", ") || "the nodes that have it"}.${unchecked}`,
        detail,
      );
    }
    await run.succeed(
      `${
        local.length
          ? `Storage is readable, but node-local: ${local.join(", ")}.`
          : `Every path (${paths.length}) is readable on every allowed node.`
      }${unchecked}`,
      detail,
    );
  },

  async migration(run, request, context) {
    const { job } = run;
    const params = migrationParamsOf(job);
    if (job.allowedNodes.length < 2) {
      const single: MigrationReadiness = { params, probes: [], acceptedRestartMoves: false };
      return run.succeed("One allowed node: nothing to migrate to.", single);
    }
    for (const name of job.allowedNodes) await run.node(name, "running", "Probing the other nodes");
    const probes = await checkMigrationReadiness(
      run.deps.pool,
      run.targets(job.allowedNodes),
      params,
      context,
    );
    if (!probes.ok) return run.fail(probes.error.message);
    for (const name of job.allowedNodes) {
      const bad = probes.value.filter((p) => p.from === name && !p.ok);
      await run.node(
        name,
        bad.length ? "failed" : "succeeded",
        bad.length
          ? bad.map((p) => p.problem).join("; ")
          : "Reaches every other node's libvirt without a prompt",
      );
    }
    const failures = probes.value.filter((p) => !p.ok);
    const pairs = failures.map((p) => `${p.from} -> ${p.to}`).join(", ");
    const accepted = failures.length > 0 && request.acceptRestartMoves === true;
    const detail: MigrationReadiness = {
      params,
      probes: probes.value,
      acceptedRestartMoves: accepted,
    };
    if (failures.length && !accepted) {
      return run.fail(
        `Live migration would fail for ${pairs}: Pacemaker would stop and start the VM instead. Fix root ssh between the nodes and run this step again, or accept that moves will stop and start it.`,
        detail,
      );
    }
    if (accepted) {
      run.log(
        "warn",
        `${run.actor.actorName} accepted that moves between ${pairs} will stop and start ${job.vm}.`,
      );
      return run.succeed(
        `Not ready for live migration (${pairs}); accepted: moves will stop and start ${job.vm}.`,
        detail,
      );
    }
    await run.succeed(
      `Every pair of allowed nodes reaches the other's libvirt at the URI the agent will use (${probes.value[0]?.uri ?? ""}, ...).`,
      detail,
    );
  },

  async test(run, request, context) {
    const { job } = run;
    const chosen = request.nodes ?? job.allowedNodes;
    const unknown = chosen.filter((n) => !job.allowedNodes.includes(n));
    if (unknown.length)
      return run.fail(`${unknown.join(", ")} is not an allowed node of this onboarding.`);
    for (const name of job.allowedNodes)
      await run.node(
        name,
        chosen.includes(name) ? "pending" : "skipped",
        chosen.includes(name) ? "Waiting for its turn" : "Not tested this time",
      );
    let failures = 0;
    // One node at a time: the VM must never run on two nodes.
    for (const target of run.targets(chosen)) {
      await run.node(target.id, "running", `Starting ${job.vm} on ${target.id}`);
      const outcome = await testStartStopOnNode(
        run.deps.pool,
        target,
        run.deps.clusterNodes,
        {
          ...startStopTestOf(job),
          jobId: `${job.id.slice(0, 8)}-${target.id}-${Date.now()}`.replace(/[^A-Za-z0-9_-]/g, "_"),
        },
        context,
      );
      const result = toTestResult(
        { ...job, jobId: job.id },
        target.id,
        outcome,
        run.progress.commands,
      );
      await run.deps.store.recordTestResult(result);
      if (result.outcome !== "succeeded") failures++;
      await run.node(
        target.id,
        result.outcome === "succeeded" ? "succeeded" : "failed",
        summarise(result),
        (result.startMs ?? 0) + (result.stopMs ?? 0),
      );
      if (!outcome.ok && outcome.error.code === "VM_RUNNING") break;
    }
    if (failures)
      return run.fail(
        `The start/stop test failed on ${failures} node(s); see each node's details.`,
      );
    await run.succeed(`${job.vm} started and stopped gracefully on ${chosen.join(", ")}.`);
  },

  async create(run, _request, context) {
    const { job } = run;
    const options = job.settings.resourceOptions;
    if (!options) return run.fail("Fill in the resource options first.");
    // Read where the resource will run; without the metadata the options cannot be checked,
    // and pcs would store a misspelt or mistyped option that fails only at the first start.
    const read = await firstAnswer(run.targets(job.allowedNodes), (node) =>
      readAgentMetadataXml(run.deps.pool, node, undefined, context),
    );
    if (!read.node) {
      return run.fail(
        `The resource was not created: the VirtualDomain agent's metadata could not be read on any allowed node, so the options cannot be checked (${read.failures.map((f) => `${f.context.node ?? "?"}: ${f.message}`).join("; ") || "no allowed node"}).`,
      );
    }
    const issues = validateResourceOptions(parseAgentMetadata(read.value.xml), options);
    if (issues.length)
      return run.fail(issues.map((i) => `${i.field}: ${i.message}`).join(" "), issues);
    const missing = await checkMonitorScripts(
      run.deps.pool,
      run.targets(job.allowedNodes),
      options,
      context,
    );
    if (missing.length) return run.fail(missing.map((i) => i.message).join(" "), missing);
    if (options.allowMigrate && job.allowedNodes.length > 1) {
      // The options may differ from what the migration step tested: test the exact URI again.
      const probes = await checkMigrationReadiness(
        run.deps.pool,
        run.targets(job.allowedNodes),
        migrationParamsOf(job),
        context,
      );
      if (!probes.ok) return run.fail(probes.error.message);
      const failures = probes.value.filter((p) => !p.ok);
      if (failures.length && !options.acceptRestartMoves) {
        return run.fail(
          `allow-migrate=true, but live migration would fail: ${failures.map((p) => p.problem).join("; ")}. Pacemaker would stop and start the VM instead. Fix it, turn allow-migrate off, or accept that moves will stop and start it.`,
          failures,
        );
      }
    }
    const nowhere = await ensureDomainRunsNowhere(
      run.deps.pool,
      run.deps.clusterNodes,
      { name: job.vm, uuid: job.uuid },
      context,
    );
    if (!nowhere.ok) return run.fail(nowhere.error.message);
    await run.node(
      job.allowedNodes[0] ?? "",
      "running",
      "pcs resource create, then waiting for Started",
    );
    const created = await createVirtualDomainResource(
      run.deps.pool,
      run.targets(job.allowedNodes),
      {
        name: job.resourceName,
        configPath: job.settings.configPath,
        options,
        allowedNodes: job.allowedNodes,
        waitS: 120,
      },
      context,
    );
    if (!created.ok) {
      await run.node(job.allowedNodes[0] ?? "", "failed", created.error.message);
      return run.fail(created.error.message);
    }
    await run.node(
      job.allowedNodes[0] ?? "",
      "succeeded",
      `Started on ${created.value.startedOn}`,
      created.value.waitedMs,
    );
    // VirtualDomain's start undefined the domain where it started; a definition left on the
    // source node (when Pacemaker chose another) must go too.
    const left = await locateDomain(
      run.deps.pool,
      run.deps.clusterNodes,
      { name: job.vm, uuid: job.uuid },
      context,
    );
    if (!left.ok)
      return run.fail(
        `${job.resourceName} is Started on ${created.value.startedOn}, but where ${job.vm} is still defined could not be checked: ${left.error.message}`,
      );
    for (const sighting of left.value.filter((s) => s.domain.persistent)) {
      const [target] = run.targets([sighting.node]);
      if (!target) continue;
      const removed = await run.deps.pool.run(target, undefineDomainArgv(job.vm), context);
      if (!removed.ok) {
        return run.fail(
          `${job.resourceName} is Started on ${created.value.startedOn}, but the definition left on ${sighting.node} could not be removed: ${removed.error.message}`,
        );
      }
      run.log(
        "info",
        `Definition of ${job.vm} removed on ${sighting.node}: Pacemaker runs it now`,
        sighting.node,
      );
    }
    await run.succeed(
      `${job.resourceName} is Started on ${created.value.startedOn}.`,
      created.value,
    );
  },
};

function phaseMs(phases: NodeTestResult["phases"], names: string[]): number | null {
  const found = phases.filter((p) => names.includes(p.name));
  return found.length ? found.reduce((sum, p) => sum + p.ms, 0) : null;
}

/** One node's test as the matrix and history store it, whoever ran it (onboarding or a re-test). */
export function toTestResult(
  run: Pick<NodeTestResult, "clusterId" | "vm" | "jobId" | "actorId" | "actorName">,
  node: string,
  outcome: Awaited<ReturnType<typeof testStartStopOnNode>>,
  commands: string[][],
): NodeTestResult {
  const base = {
    id: randomUUID(),
    clusterId: run.clusterId,
    vm: run.vm,
    node,
    jobId: run.jobId,
    commands,
    actorId: run.actorId,
    actorName: run.actorName,
    testedAt: new Date(),
  };
  if (!outcome.ok) {
    return {
      ...base,
      outcome: "failed",
      startOk: false,
      startMs: null,
      stopOk: false,
      stopMs: null,
      stopMethod: null,
      error: outcome.error.message,
      phases: [],
      output: outcome.error.context.stderr ?? "",
    };
  }
  const state = outcome.value;
  const start = state.phases.find((p) => p.name === "start");
  const startOk =
    Boolean(start?.ok) &&
    state.phases
      .filter((p) => p.name === "running" || p.name === "guest-alive")
      .every((p) => p.ok) &&
    state.phases.some((p) => p.name === "running");
  return {
    ...base,
    outcome: state.state === "running" ? "failed" : state.state,
    startOk,
    startMs: phaseMs(state.phases, ["start", "running", "guest-alive"]),
    stopOk: state.stopMethod === "graceful",
    stopMs: phaseMs(state.phases, ["shutdown", "destroy"]),
    stopMethod: state.stopMethod,
    error: state.error,
    phases: state.phases,
    output: state.log,
  };
}

function summarise(result: NodeTestResult): string {
  const seconds = (ms: number | null) => (ms === null ? "–" : `${(ms / 1000).toFixed(1)} s`);
  if (result.outcome === "succeeded")
    return `Started in ${seconds(result.startMs)}, shut down gracefully in ${seconds(result.stopMs)}`;
  return result.error ?? `Test ${result.outcome}`;
}

/**
 * At start-up: jobs left "running" whose step no live Corral holds any more (`isHeld`: the VM
 * lock of the process that ran it is gone or stale) become interrupted, each saying where its
 * VM runs now (the node-local test destroys it when Corral's session drops, so normally nowhere).
 */
export async function recoverInterruptedJobs(
  deps: Pick<OnboardingDeps, "pool" | "store" | "agentLocation">,
  nodesOf: (clusterId: string) => Promise<NodeTarget[]>,
  isHeld: (job: OnboardingJob) => Promise<boolean>,
): Promise<OnboardingJob[]> {
  const recovered: OnboardingJob[] = [];
  for (const running of await deps.store.listJobs({ state: "running", limit: 1000 })) {
    if (await isHeld(running)) continue;
    // Where the VM runs is found before the job is marked, so the job never shows as
    // interrupted without it (a page opened meanwhile would keep a note without the answer).
    const { runningOn, note } = await whereItRuns(
      deps.pool,
      await nodesOf(running.clusterId),
      { name: running.vm, uuid: running.uuid },
      { clusterId: running.clusterId, vm: running.vm, ...deps.agentLocation },
    );
    const job = await deps.store.interruptJob(running.id, { runningOn, note });
    if (job) recovered.push(job);
  }
  return recovered;
}

/** Resume an interrupted job: back to waiting, the interrupted step ready to run again. */
export async function resumeInterruptedJob(
  store: OnboardingStore,
  jobId: string,
  actor: OnboardingActor,
): Promise<OnboardingJob> {
  const job = await findJob(store, jobId);
  if (job.state !== "interrupted")
    throw new AppError("CONFLICT", `The onboarding of ${job.vm} is ${job.state}.`);
  const resumed = applyOnboarding(job, {
    type: "resumed",
    actorName: actor.actorName,
    at: new Date().toISOString(),
  });
  await store.saveJob(resumed);
  return resumed;
}

/**
 * The operator changes the allowed nodes or the settings between steps; the steps that relied
 * on them run again (applyOnboarding, "settings-changed").
 */
export async function updateOnboardingJob(
  store: OnboardingStore,
  jobId: string,
  patch: { allowedNodes?: string[]; settings?: Partial<OnboardingSettings> },
  clusterNodeNames: readonly string[],
  location: AgentLocation = {},
): Promise<OnboardingJob> {
  const job = await findJob(store, jobId);
  const blocker = settingsBlocker(job);
  if (blocker) throw new AppError("CONFLICT", blocker);
  if (patch.allowedNodes) {
    const unknown = patch.allowedNodes.filter((n) => !clusterNodeNames.includes(n));
    if (unknown.length || patch.allowedNodes.length === 0) {
      throw new AppError(
        "INVALID_INPUT",
        unknown.length
          ? `${unknown.join(", ")} is not a node of this cluster.`
          : "Allow at least one node.",
      );
    }
  }
  const at = new Date().toISOString();
  const changed = applyOnboarding(job, {
    type: "settings-changed",
    ...(patch.allowedNodes ? { allowedNodes: patch.allowedNodes } : {}),
    ...(patch.settings ? { settings: patch.settings } : {}),
    at,
  });
  const planned = applyOnboarding(changed, {
    type: "commands-planned",
    commands: planCommands(changed, location),
    at,
  });
  await store.saveJob(planned);
  return planned;
}
