import { EventEmitter, on } from "node:events";
import {
  type NodeTarget,
  type OnboardingDeps,
  type OnboardingJob,
  openClusterNodeTargets,
  readClusterStatusFromAny,
  recoverInterruptedJobs,
} from "@corral/core";
import { OnboardingRepository, type VmLock, VmLockRepository } from "@corral/db";
import type { ServiceParts } from "../../service-parts.ts";

/**
 * What the onboarding procedures share within one server: the job store, the VM locks, and the
 * feed that tells live subscribers a job changed. Built once per server (createCorralServer).
 */
export class OnboardingService {
  readonly store: OnboardingRepository;
  readonly locks: VmLockRepository;
  readonly #events = new EventEmitter().setMaxListeners(0);

  readonly #parts: ServiceParts;

  constructor(parts: ServiceParts) {
    this.#parts = parts;
    this.store = new OnboardingRepository(parts.database.client);
    this.locks = new VmLockRepository(parts.database.client);
  }

  async deps(clusterId: string): Promise<OnboardingDeps> {
    return {
      pool: this.#parts.clusterServices.pool,
      store: this.store,
      locks: this.locks,
      clusterNodes: await this.nodesOf(clusterId),
      agentLocation: this.#parts.clusterServices.agentLocation,
      onUpdate: (job) => this.#events.emit(job.id, job),
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

  changed(job: OnboardingJob) {
    this.#events.emit(job.id, job);
  }

  /** Yields the job each time it is saved, until `signal` aborts. */
  async *changes(jobId: string, signal: AbortSignal | undefined): AsyncGenerator<OnboardingJob> {
    try {
      for await (const [job] of on(this.#events, jobId, { signal })) yield job as OnboardingJob;
    } catch (error) {
      if ((error as Error).name !== "AbortError") throw error;
    }
  }

  /**
   * Jobs left running by a Corral that stopped, given the onboarding locks start-up released
   * (recoverInterruptedOperations). A job is still held while a live VM lock names it (another
   * request of this process may run it); the others become interrupted.
   */
  recover(released: readonly VmLock[]): Promise<OnboardingJob[]> {
    const releasedJobs = new Set(released.map((lock) => lock.operationId));
    return recoverInterruptedJobs(
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
  }
}
