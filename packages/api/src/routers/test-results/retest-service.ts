import { randomUUID } from "node:crypto";
import {
  AppError,
  applyRetest,
  newRetestState,
  type OnboardingJob,
  quoteArgv,
  type RetestEvent,
  type RetestState,
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
    return {
      resource: job.resourceName,
      nodes: job.allowedNodes,
      commands: retestCommands(job.resourceName, startStopTestOf(job)).map(quoteArgv),
    };
  }

  view(id: string): RetestState | null {
    return this.retests.view(id);
  }

  async start(input: {
    clusterId: string;
    vm: string;
    actor: { id: string; name: string };
  }): Promise<RetestState> {
    const job = await this.managedJob(input.clusterId, input.vm);
    const nodes = await this.onboarding.nodesOf(input.clusterId);
    const id = randomUUID();
    const locks = this.#parts.locks;
    const { lock } = await locks.acquire({
      clusterId: input.clusterId,
      vm: job.resourceName,
      holderId: input.actor.id,
      holderName: input.actor.name,
      operation: "vm.retest",
      operationId: id,
    });
    const letGo = locks.hold(lock);
    const initial = await this.retests.own(
      newRetestState({ id, clusterId: input.clusterId, vm: job.vm, resource: job.resourceName }),
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
      (progress) => void this.retests.dispatch(id, { type: "progress", progress }),
      { actorId: input.actor.id, clusterId: input.clusterId },
    )
      .then((outcome) => this.retests.dispatch(id, { type: "finished", outcome }))
      .catch((error: unknown) => {
        this.#parts.logger.error({ err: error, retestId: id }, "re-test failed unexpectedly");
        return this.retests.dispatch(id, { type: "crashed", error: String(error) });
      })
      .finally(letGo);
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
      const error = `The re-test of ${lock.vm} was interrupted when the Corral running it stopped; the resource may be left disabled and ${note} Check the Test results, then run \`pcs resource enable ${lock.vm}\`.`;
      if (lock.operationId)
        await this.retests.takeOver(lock.operationId, { type: "interrupted", error });
      await this.#parts.commandLog.recordInterrupted(lock, { retestId: lock.operationId }, error);
    }
  }
}
