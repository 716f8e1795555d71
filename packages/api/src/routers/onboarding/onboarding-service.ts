import { EventEmitter, on } from "node:events";
import {
  AppError,
  type OnboardingDeps,
  type OnboardingJob,
  openNodeTarget,
  recoverInterruptedJobs,
} from "@corral/core";
import { OnboardingRepository, VmLockRepository } from "@corral/db";
import type { CorralServer } from "../../server.ts";

/**
 * What the onboarding procedures share within one server: the job store, the VM locks, and the
 * feed that tells live subscribers a job changed. Built once per server (see `onboardingFor`).
 */
export class OnboardingService {
  readonly store: OnboardingRepository;
  readonly locks: VmLockRepository;
  readonly #events = new EventEmitter().setMaxListeners(0);

  constructor(readonly server: CorralServer) {
    this.store = new OnboardingRepository(server.database.client);
    this.locks = new VmLockRepository(server.database.client);
  }

  async deps(clusterId: string): Promise<OnboardingDeps> {
    return {
      pool: this.server.clusterServices.pool,
      store: this.store,
      locks: this.locks,
      clusterNodes: await this.nodesOf(clusterId),
      agentLocation: this.server.clusterServices.agentLocation,
      onUpdate: (job) => this.#events.emit(job.id, job),
    };
  }

  async nodesOf(clusterId: string) {
    const cluster = await this.server.clusterServices.registry.findCluster(clusterId);
    if (!cluster) throw new AppError("NOT_FOUND", `No cluster ${clusterId} in Corral.`);
    // Targets are known by node name, as allowed nodes, crm_mon and ssh between nodes name them.
    return cluster.nodes.map((node) =>
      openNodeTarget(node, this.server.clusterServices.credentialKey),
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
   * Jobs left running by a Corral that stopped: a job is still held while the VM lock naming it
   * is live (another request of this process may run it); a lock of a dead process is stale.
   */
  recover(): Promise<OnboardingJob[]> {
    return (async () => {
      await this.locks.releaseStale();
      return recoverInterruptedJobs(
        {
          pool: this.server.clusterServices.pool,
          store: this.store,
          agentLocation: this.server.clusterServices.agentLocation,
        },
        (clusterId) => this.nodesOf(clusterId),
        async (job) => (await this.locks.find(job.clusterId, job.vm))?.operationId === job.id,
      );
    })();
  }
}

const services = new WeakMap<
  CorralServer,
  { service: OnboardingService; recovered: Promise<unknown> }
>();

/** The server's onboarding service; the first use checks for jobs a stopped Corral left. */
export async function onboardingFor(server: CorralServer): Promise<OnboardingService> {
  let entry = services.get(server);
  if (!entry) {
    const service = new OnboardingService(server);
    const recovered = service
      .recover()
      .catch((error) => server.logger.error({ err: error }, "onboarding recovery failed"));
    entry = { service, recovered };
    services.set(server, entry);
  }
  await entry.recovered;
  return entry.service;
}
