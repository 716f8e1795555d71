import { randomUUID } from "node:crypto";
import {
  type AllowedNodesPlan,
  AppError,
  allowedNodesOf,
  applyRetest,
  changeAllowedNodes,
  firstAnswer,
  type NodeTarget,
  newRetestState,
  type OnboardingJob,
  planAllowedNodesChange,
  quoteArgv,
  type Result,
  type RetestEvent,
  type RetestOutcome,
  type RetestProgress,
  type RetestState,
  readClusterStatusFromAny,
  readLocationConstraints,
  readVmResourceConfigFromAny,
  retestCommands,
  retestManagedVm,
  startStopTestOf,
  whereItRuns,
} from "@corral/core";
import type { VmLock } from "@corral/db";
import { LiveOperations } from "../../operations/live-operations.ts";
import type { ServiceParts } from "../../service-parts.ts";
import type { OnboardingService } from "../onboarding/onboarding-service.ts";

/**
 * Re-tests of VMs the cluster manages, with the settings of the onboarding that made them
 * resources. Runs under the VM lock (operation `vm.retest`, keyed by the resource like other
 * VM actions) in the background; its state (applyRetest) is polled, from any instance.
 */
export class RetestService {
  readonly retests: LiveOperations<RetestState, RetestEvent>;
  readonly #parts: ServiceParts;
  /** This instance's re-tests until they are over (a rolling maintenance waits for each). */
  readonly #inFlight = new Map<string, Promise<unknown>>();

  constructor(
    parts: ServiceParts,
    readonly onboarding: OnboardingService,
  ) {
    this.#parts = parts;
    this.retests = new LiveOperations(parts.database.events, "retest", applyRetest, (error) =>
      parts.logger.warn({ err: error }, "publishing a re-test's state failed"),
    );
  }

  async managedJob(clusterId: string, vm: string): Promise<OnboardingJob> {
    const [job] = await this.onboarding.store.listJobs({
      clusterId,
      vm,
      state: "succeeded",
      limit: 1,
    });
    if (!job)
      throw new AppError(
        "INVALID_INPUT",
        `${vm} was not made a resource through Corral: test it again from its onboarding.`,
      );
    return job;
  }

  async plan(clusterId: string, vm: string) {
    const job = await this.managedJob(clusterId, vm);
    const nodes = await this.onboarding.nodesOf(clusterId);
    return {
      resource: job.resourceName,
      nodes: await this.#allowedNow(job, nodes),
      commands: retestCommands(job.resourceName, startStopTestOf(job)).map(quoteArgv),
    };
  }

  /** The nodes the cluster's constraints allow now (onboarding's choice when it has none). */
  async #allowedNow(job: OnboardingJob, nodes: readonly NodeTarget[]): Promise<string[]> {
    const pool = this.#parts.clusterServices.pool;
    const read = await firstAnswer(nodes, (node) =>
      readLocationConstraints(pool, node, { clusterId: job.clusterId }),
    );
    if (!read.node) throw read.failures.at(-1) ?? new AppError("NOT_FOUND", "No node to ask.");
    const own = read.value.filter((c) => c.resource === job.resourceName);
    return allowedNodesOf(own) ?? job.allowedNodes;
  }

  /**
   * What changing the VM's allowed nodes to `next` runs, from what the cluster says now: its
   * constraints, where the VM runs and its config path.
   */
  async allowedNodesPlan(input: {
    clusterId: string;
    vm: string;
    next: string[];
    actorId: string;
  }): Promise<AllowedNodesPlan> {
    const job = await this.managedJob(input.clusterId, input.vm);
    const nodes = await this.onboarding.nodesOf(input.clusterId);
    const pool = this.#parts.clusterServices.pool;
    const context = { actorId: input.actorId, clusterId: input.clusterId, vm: job.vm };
    const [constraints, status, config] = await Promise.all([
      firstAnswer(nodes, (node) => readLocationConstraints(pool, node, context)),
      readClusterStatusFromAny(pool, nodes, context),
      readVmResourceConfigFromAny(pool, nodes, job.resourceName, context),
    ]);
    if (!constraints.node)
      throw constraints.failures.at(-1) ?? new AppError("NOT_FOUND", "No node to ask.");
    if (!status.ok) throw status.error;
    if (!config.ok) throw config.error;
    const planned = planAllowedNodesChange({
      resource: job.resourceName,
      next: input.next,
      clusterNodes: nodes.map((node) => node.id),
      constraints: constraints.value.filter((c) => c.resource === job.resourceName),
      runningOn: status.value.resources.find((r) => r.id === job.resourceName)?.nodes ?? [],
      configPath: config.value.configPath,
      test: this.#testOf(job, config.value.configPath),
      agent: this.#parts.clusterServices.agentLocation,
    });
    if (!planned.ok) throw planned.error;
    return planned.value;
  }

  /** The onboarding's test, on the config the resource has now (an edit may have moved it). */
  #testOf(job: OnboardingJob, configPath: string | null) {
    return { ...startStopTestOf(job), config: configPath ?? job.settings.configPath };
  }

  view(id: string): RetestState | null {
    return this.retests.view(id);
  }

  /** A re-test started on this instance, once it is over. */
  async settled(id: string): Promise<RetestState | null> {
    await this.#inFlight.get(id);
    return this.view(id);
  }

  /** Re-tests the VM on every node it may run on now, or only on `node`. */
  async start(input: {
    clusterId: string;
    vm: string;
    node?: string;
    actor: { id: string; name: string };
  }): Promise<RetestState> {
    const job = await this.managedJob(input.clusterId, input.vm);
    return this.#run(input, job, "vm.retest", async (nodes, context) => {
      const allowed = input.node ? [input.node] : await this.#allowedNow(job, nodes);
      return {
        allowedNodes: null,
        work: (onProgress) =>
          retestManagedVm(
            this.#parts.clusterServices.pool,
            nodes,
            { ...this.#request(input, job, null), resource: job.resourceName, nodes: allowed },
            (result) => this.onboarding.store.recordTestResult(result),
            onProgress,
            context,
          ),
      };
    });
  }

  /**
   * Changes the nodes the VM may run on, under its lock: the plan is made again from the
   * cluster once the lock is held, then carried out (changeAllowedNodes).
   */
  async changeAllowedNodes(input: {
    clusterId: string;
    vm: string;
    next: string[];
    actor: { id: string; name: string };
  }): Promise<RetestState> {
    const job = await this.managedJob(input.clusterId, input.vm);
    return this.#run(input, job, "vm.allowed-nodes", async (nodes, context) => {
      const plan = await this.allowedNodesPlan({ ...input, actorId: input.actor.id });
      return {
        allowedNodes: plan.next,
        work: (onProgress) =>
          changeAllowedNodes(
            this.#parts.clusterServices.pool,
            nodes,
            plan,
            this.#request(input, job, plan.config),
            (result) => this.onboarding.store.recordTestResult(result),
            onProgress,
            { ...context, ...this.#parts.clusterServices.agentLocation },
          ),
      };
    });
  }

  #request(
    input: { clusterId: string; actor: { id: string; name: string } },
    job: OnboardingJob,
    configPath: string | null,
  ) {
    return {
      clusterId: input.clusterId,
      test: this.#testOf(job, configPath),
      actorId: input.actor.id,
      actorName: input.actor.name,
    };
  }

  /**
   * Takes the VM's lock, prepares the work under it (a failure lets the lock go and is the
   * answer), then runs it in the background with its state (applyRetest) published; answered
   * with the first state at once.
   */
  async #run(
    input: { clusterId: string; actor: { id: string; name: string } },
    job: OnboardingJob,
    operation: "vm.retest" | "vm.allowed-nodes",
    prepare: (
      nodes: NodeTarget[],
      context: { actorId: string; clusterId: string },
    ) => Promise<{
      allowedNodes: string[] | null;
      work: (onProgress: (progress: RetestProgress) => void) => Promise<Result<RetestOutcome>>;
    }>,
  ): Promise<RetestState> {
    const id = randomUUID();
    const locks = this.#parts.locks;
    const { lock } = await locks.acquire({
      clusterId: input.clusterId,
      vm: job.resourceName,
      holderId: input.actor.id,
      holderName: input.actor.name,
      operation,
      operationId: id,
    });
    const letGo = locks.hold(lock);
    let prepared: Awaited<ReturnType<typeof prepare>>;
    try {
      const nodes = await this.onboarding.nodesOf(input.clusterId);
      prepared = await prepare(nodes, { actorId: input.actor.id, clusterId: input.clusterId });
    } catch (error) {
      await letGo();
      throw error;
    }
    const initial = await this.retests.own(
      newRetestState({
        id,
        clusterId: input.clusterId,
        vm: job.vm,
        resource: job.resourceName,
        allowedNodes: prepared.allowedNodes,
      }),
    );
    const running = prepared
      .work((progress) => void this.retests.dispatch(id, { type: "progress", progress }))
      .then((outcome) => this.retests.dispatch(id, { type: "finished", outcome }))
      .catch((error: unknown) => {
        this.#parts.logger.error({ err: error, retestId: id }, `${operation} failed unexpectedly`);
        return this.retests.dispatch(id, { type: "crashed", error: String(error) });
      })
      .finally(async () => {
        await letGo();
        this.#inFlight.delete(id);
      });
    this.#inFlight.set(id, running);
    return initial;
  }

  /**
   * A re-test a stopped Corral left: its resource may be disabled with a test's domain just
   * destroyed, so it is never enabled blindly; the command log says where the VM runs and what
   * to do.
   */
  async recover(released: readonly VmLock[]): Promise<void> {
    for (const lock of released) {
      const nodes = await this.onboarding.nodesOf(lock.clusterId).catch(() => []);
      const jobs = await this.onboarding.store.listJobs({
        clusterId: lock.clusterId,
        state: "succeeded",
        limit: 500,
      });
      const job = jobs.find((candidate) => candidate.resourceName === lock.vm);
      const domain = job?.vm ?? lock.vm;
      const { note } = await whereItRuns(this.#parts.clusterServices.pool, nodes, {
        name: domain,
        uuid: job?.uuid ?? null,
      });
      const change = lock.operation === "vm.allowed-nodes";
      const error = change
        ? `The change of ${lock.vm}'s allowed nodes was interrupted when the Corral running it stopped; the resource may be left disabled (and bound by its old and new constraints both: only the nodes both allow) and ${note} Check the Test results and the card's allowed nodes, then run \`pcs resource enable ${lock.vm}\`.`
        : `The re-test of ${lock.vm} was interrupted when the Corral running it stopped; the resource may be left disabled and ${note} Check the Test results, then run \`pcs resource enable ${lock.vm}\`.`;
      if (lock.operationId)
        await this.retests.takeOver(lock.operationId, { type: "interrupted", error });
      await this.#parts.commandLog.recordInterrupted(lock, { retestId: lock.operationId }, error);
    }
  }
}
