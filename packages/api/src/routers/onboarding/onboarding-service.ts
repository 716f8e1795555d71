import {
  type NodeTarget,
  type OnboardingDeps,
  type OnboardingJob,
  openClusterNodeTargets,
  readClusterStatusFromAny,
  recoverInterruptedJobs,
} from "@corral/core";
import { OnboardingRepository, pulses, type VmLock, type VmLockRepository } from "@corral/db";
import type { ServiceParts } from "../../service-parts.ts";

/**
 * What the onboarding procedures share within one server: the job store, the VM locks, and the
 * feed that tells live subscribers on every instance that a job was saved (the bus carries the
 * job's id; each instance reads the job from the database). Built once per server.
 */
/** The bus topic of a saved onboarding job; the message is its id. */
const JOB_SAVED = "onboarding.saved";

export class OnboardingService {
  readonly store: OnboardingRepository;
  readonly locks: VmLockRepository;
  readonly #parts: ServiceParts;

  constructor(parts: ServiceParts) {
    this.#parts = parts;
    this.store = new OnboardingRepository(parts.database.client);
    this.locks = parts.locks;
  }

  async deps(clusterId: string): Promise<OnboardingDeps> {
    return {
      pool: this.#parts.clusterServices.pool,
      store: this.store,
      locks: this.locks,
      clusterNodes: await this.nodesOf(clusterId),
      agentLocation: this.#parts.clusterServices.agentLocation,
      onUpdate: (job) => this.changed(job),
    };
  }

  nodesOf(clusterId: string): Promise<NodeTarget[]> {
    return openClusterNodeTargets(this.#parts.clusterServices, clusterId);
  }

  /** Whether the CIB has a resource named as the job's (crm_mon from any node that answers). */
  async resourceExists(job: OnboardingJob, actorId: string | null): Promise<boolean> {
    const status = await readClusterStatusFromAny(
      this.#parts.clusterServices.pool,
      await this.nodesOf(job.clusterId),
      { actorId, clusterId: job.clusterId },
    );
    if (!status.ok) throw status.error;
    return status.value.resources.some(
      (resource) => resource.id === job.resourceName || resource.parent === job.resourceName,
    );
  }

  /** Tells every instance's subscribers that the job was saved. */
  changed(job: OnboardingJob) {
    void this.#parts.database.events
      .publish(JOB_SAVED, job.id)
      .catch((error: unknown) =>
        this.#parts.logger.warn({ err: error, jobId: job.id }, "announcing a saved job failed"),
      );
  }

  /** Yields the job each time it is saved (on any instance), until `signal` aborts. */
  async *changes(jobId: string, signal: AbortSignal | undefined): AsyncGenerator<OnboardingJob> {
    for await (const _ of pulses(
      this.#parts.database.events,
      JOB_SAVED,
      signal,
      (id) => id === jobId,
    )) {
      const job = await this.store.findJob(jobId);
      if (job) yield job;
    }
  }

  /**
   * Jobs left running by a Corral that stopped, given the onboarding locks start-up released
   * (recoverInterruptedOperations). A job is still held while a live VM lock names it (another
   * request of this process may run it); the others become interrupted.
   */
  async recover(released: readonly VmLock[]): Promise<OnboardingJob[]> {
    const releasedJobs = new Set(released.map((lock) => lock.operationId));
    const recovered = await recoverInterruptedJobs(
      {
        pool: this.#parts.clusterServices.pool,
        store: this.store,
        agentLocation: this.#parts.clusterServices.agentLocation,
      },
      (clusterId) => this.nodesOf(clusterId),
      async (job) =>
        !releasedJobs.has(job.id) &&
        (await this.locks.find(job.clusterId, job.vm))?.operationId === job.id,
    );
    // Pages following a recovered job (on any instance) see it interrupted at once.
    for (const job of recovered) this.changed(job);
    return recovered;
  }
}
