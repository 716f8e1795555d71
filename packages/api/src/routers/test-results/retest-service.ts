import { randomUUID } from "node:crypto";
import {
  AppError,
  locateDomain,
  type NodeTestResult,
  type OnboardingJob,
  quoteArgv,
  type RetestProgress,
  retestCommands,
  retestManagedVm,
  startStopTestOf,
} from "@corral/core";
import type { VmLock } from "@corral/db";
import type { ServiceParts } from "../../service-parts.ts";
import type { OnboardingService } from "../onboarding/onboarding-service.ts";

/** The lock operation of a re-test, for start-up recovery. */
export const RETEST_OPERATION = "vm.retest";

/** What the Test results page draws while a re-test runs and after it. */
export interface RetestView {
  id: string;
  clusterId: string;
  vm: string;
  resource: string;
  state: "running" | "succeeded" | "failed";
  phase: RetestProgress["phase"];
  /** The node under test now. */
  node: string | null;
  results: NodeTestResult[];
  startedOn: string | null;
  error: string | null;
}

/**
 * Re-tests of VMs the cluster manages, with the settings of the onboarding that made them
 * resources. Runs under the VM lock (operation `vm.retest`, keyed by the resource like other
 * VM actions) in the background; the view is polled.
 */
export class RetestService {
  readonly #views = new Map<string, RetestView>();
  readonly #parts: ServiceParts;

  constructor(
    parts: ServiceParts,
    readonly onboarding: OnboardingService,
  ) {
    this.#parts = parts;
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
    return {
      resource: job.resourceName,
      nodes: job.allowedNodes,
      commands: retestCommands(job.resourceName, startStopTestOf(job)).map(quoteArgv),
    };
  }

  view(id: string): RetestView | null {
    const view = this.#views.get(id);
    return view ? { ...view } : null;
  }

  async start(input: {
    clusterId: string;
    vm: string;
    actor: { id: string; name: string };
  }): Promise<RetestView> {
    const job = await this.managedJob(input.clusterId, input.vm);
    const nodes = await this.onboarding.nodesOf(input.clusterId);
    const id = randomUUID();
    const { lock } = await this.onboarding.locks.acquire({
      clusterId: input.clusterId,
      vm: job.resourceName,
      holderId: input.actor.id,
      holderName: input.actor.name,
      operation: RETEST_OPERATION,
      operationId: id,
    });
    const view: RetestView = {
      id,
      clusterId: input.clusterId,
      vm: job.vm,
      resource: job.resourceName,
      state: "running",
      phase: "disabling",
      node: null,
      results: [],
      startedOn: null,
      error: null,
    };
    this.#views.set(id, view);
    const renewal = setInterval(
      () => void this.onboarding.locks.renew(lock).catch(() => {}),
      10_000,
    );
    void retestManagedVm(
      this.#parts.clusterServices.pool,
      nodes,
      {
        clusterId: input.clusterId,
        resource: job.resourceName,
        nodes: job.allowedNodes,
        test: startStopTestOf(job),
        actorId: input.actor.id,
        actorName: input.actor.name,
      },
      (result) => this.onboarding.store.recordTestResult(result),
      (progress) => {
        view.phase = progress.phase;
        if (progress.phase === "testing") view.node = progress.node;
        if (progress.phase === "tested") view.results = [...view.results, progress.result];
      },
      { actorId: input.actor.id, clusterId: input.clusterId },
    )
      .then((outcome) => {
        view.state = outcome.ok ? "succeeded" : "failed";
        view.startedOn = outcome.ok ? outcome.value.startedOn : null;
        view.error = outcome.ok ? null : outcome.error.message;
      })
      .catch((error: unknown) => {
        this.#parts.logger.error({ err: error, retestId: id }, "re-test failed unexpectedly");
        Object.assign(view, { state: "failed", error: String(error) });
      })
      .finally(async () => {
        clearInterval(renewal);
        view.node = null;
        await this.onboarding.locks.release(lock).catch(() => {});
        setTimeout(() => this.#views.delete(id), 10 * 60_000).unref();
      });
    return { ...view };
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
      const where = await locateDomain(this.#parts.clusterServices.pool, nodes, {
        name: domain,
        uuid: job?.uuid ?? null,
      });
      const running = where.ok
        ? where.value.filter((s) => s.domain.state === "running").map((s) => s.node)
        : null;
      const seen =
        running === null
          ? `where ${domain} runs could not be read (${where.ok ? "" : where.error.message})`
          : running.length
            ? `${domain} runs on ${running.join(", ")}`
            : `${domain} runs on no node`;
      await this.#parts.commandLog.recordAction({
        actorId: lock.holderId,
        actorName: lock.holderName,
        action: "vm.retest.interrupted",
        clusterId: lock.clusterId,
        vm: lock.vm,
        detail: { retestId: lock.operationId },
        ok: false,
        error: `The re-test of ${lock.vm} was interrupted when Corral stopped; the resource may be left disabled and ${seen}. Check the Test results, then run \`pcs resource enable ${lock.vm}\`.`,
        startedAt: lock.since,
        durationMs: Date.now() - lock.since.getTime(),
      });
    }
  }
}
