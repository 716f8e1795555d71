import {
  applyOnboarding,
  type NodeTestResult,
  type OnboardingJob,
  type OnboardingStore,
  OPEN_STATES,
} from "@corral/core";
import type { DbClient } from "../create-database.ts";
import type {
  NodeTestResult as NodeTestResultRow,
  OnboardingJob as OnboardingJobRow,
} from "../generated/sqlite/client.ts";

/** Log lines kept per job: the newest, enough to follow a long test without growing forever. */
const JOB_LOG_LIMIT = 500;

/** The part of a job kept as one JSON document; the rest are columns to query by. */
type JobDocument = Omit<
  OnboardingJob,
  | "id"
  | "clusterId"
  | "vm"
  | "resourceName"
  | "state"
  | "currentStep"
  | "error"
  | "actorId"
  | "actorName"
  | "createdAt"
  | "updatedAt"
>;

/** Onboarding jobs and start/stop test results (core's OnboardingStore). */
export class OnboardingRepository implements OnboardingStore {
  constructor(private readonly db: DbClient) {}

  async createJob(job: OnboardingJob): Promise<void> {
    await this.db.onboardingJob.create({
      data: { ...toColumns(job), id: job.id, createdAt: job.createdAt },
    });
  }

  async saveJob(job: OnboardingJob): Promise<void> {
    await this.db.onboardingJob.update({ where: { id: job.id }, data: toColumns(job) });
  }

  async findJob(id: string): Promise<OnboardingJob | null> {
    const row = await this.db.onboardingJob.findUnique({ where: { id } });
    return row ? toJob(row) : null;
  }

  async findOpenJob(clusterId: string, vm: string): Promise<OnboardingJob | null> {
    const row = await this.db.onboardingJob.findFirst({
      where: { clusterId, vm, state: { in: [...OPEN_STATES] } },
      orderBy: { createdAt: "desc" },
    });
    return row ? toJob(row) : null;
  }

  async listJobs(filter: {
    clusterId?: string;
    vm?: string;
    state?: OnboardingJob["state"];
    limit: number;
  }): Promise<OnboardingJob[]> {
    const rows = await this.db.onboardingJob.findMany({
      where: {
        ...(filter.clusterId ? { clusterId: filter.clusterId } : {}),
        ...(filter.vm ? { vm: filter.vm } : {}),
        ...(filter.state ? { state: filter.state } : {}),
      },
      orderBy: { createdAt: "desc" },
      take: filter.limit,
    });
    return rows.map(toJob);
  }

  async interruptJob(
    id: string,
    found: { runningOn: string[] | null; note: string },
  ): Promise<OnboardingJob | null> {
    const row = await this.db.onboardingJob.findUnique({ where: { id } });
    if (row?.state !== "running") return null;
    const job = applyOnboarding(toJob(row), {
      type: "interrupted",
      ...found,
      at: new Date().toISOString(),
    });
    // Only a job still running is taken: a concurrent save that settled it wins.
    const updated = await this.db.onboardingJob.updateMany({
      where: { id, state: "running" },
      data: toColumns(job),
    });
    return updated.count === 1 ? job : null;
  }

  async recordTestResult(result: NodeTestResult): Promise<void> {
    await this.db.nodeTestResult.create({
      data: {
        ...result,
        phases: JSON.stringify(result.phases),
        commands: JSON.stringify(result.commands),
      },
    });
  }

  async listTestResults(filter: {
    clusterId: string;
    vm?: string;
    limit: number;
  }): Promise<NodeTestResult[]> {
    const rows = await this.db.nodeTestResult.findMany({
      where: { clusterId: filter.clusterId, ...(filter.vm ? { vm: filter.vm } : {}) },
      orderBy: { testedAt: "desc" },
      take: filter.limit,
    });
    return rows.map(toTestResult);
  }
}

function toColumns(job: OnboardingJob) {
  const document: JobDocument = {
    allowedNodes: job.allowedNodes,
    sourceNode: job.sourceNode,
    uuid: job.uuid,
    settings: job.settings,
    steps: job.steps,
    config: job.config,
    written: job.written,
    interruption: job.interruption,
    log: job.log.slice(-JOB_LOG_LIMIT),
  };
  return {
    clusterId: job.clusterId,
    vm: job.vm,
    resourceName: job.resourceName,
    state: job.state,
    currentStep: job.currentStep,
    document: JSON.stringify(document),
    error: job.error,
    actorId: job.actorId,
    actorName: job.actorName,
  };
}

function toJob(row: OnboardingJobRow): OnboardingJob {
  const document = JSON.parse(row.document) as JobDocument;
  return {
    ...document,
    // Jobs saved before files were tracked wrote at most the current path.
    written: document.written ?? [],
    id: row.id,
    clusterId: row.clusterId,
    vm: row.vm,
    resourceName: row.resourceName,
    state: row.state as OnboardingJob["state"],
    currentStep: row.currentStep as OnboardingJob["currentStep"],
    error: row.error,
    actorId: row.actorId,
    actorName: row.actorName,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function toTestResult(row: NodeTestResultRow): NodeTestResult {
  return {
    ...row,
    outcome: row.outcome as NodeTestResult["outcome"],
    stopMethod: row.stopMethod as NodeTestResult["stopMethod"],
    phases: JSON.parse(row.phases),
    commands: JSON.parse(row.commands),
  };
}
