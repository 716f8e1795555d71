import type { AgentLocation } from "../../agent/agent-layout.ts";
import { AppError } from "../../errors.ts";
import {
  applyOnboarding,
  type OnboardingEvent,
  stepBlocker,
} from "../../operations/onboarding-operation.ts";
import type { NodeTarget } from "../../ssh/node-target.ts";
import type { SshPool } from "../../ssh/ssh-pool.ts";
import type {
  JobLogLine,
  NodeProgress,
  OnboardingJob,
  OnboardingStep,
  OnboardingStore,
  StepDetails,
  StepProgress,
  VmOperationLock,
} from "../onboarding-job.types.ts";
import { planCommands } from "../plan-onboarding-commands.ts";

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

/** Who runs the step and where: every node command carries it into the command log. */
export type StepContext = { actorId: string | null; clusterId: string; vm: string } & AgentLocation;

/** Events a step body reports about what it found or wrote, saved with the next change. */
type Finding = Extract<
  OnboardingEvent,
  { type: "domain-found" } | { type: "config-dumped" } | { type: "config-written" }
>;
type WithoutAt<E> = E extends unknown ? Omit<E, "at"> : never;

/** The bookkeeping of one step run: every change through applyOnboarding, saved and notified. */
export class StepRun<S extends OnboardingStep> {
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
