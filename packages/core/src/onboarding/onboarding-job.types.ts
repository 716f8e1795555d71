import type { OptionIssue, ResourceOptions } from "./build-resource-create-command.ts";
import type { MigrationProbe } from "./check-migration-readiness.ts";
import type { StoragePathReport, StorageReport, UncheckableStorage } from "./check-storage.ts";
import type { StorageSourceProblem } from "./check-storage-sources.ts";
import type { CreatedResource } from "./create-virtual-domain-resource.ts";
import type { TestPhase } from "./onboarding-agent-protocol.ts";
import type { PreflightReport } from "./preflight-vm.ts";

/** The wizard's steps that run commands, in order; the resource options form feeds "create". */
export const ONBOARDING_STEPS = [
  "preflight",
  "dump",
  "distribute",
  "storage",
  "migration",
  "test",
  "create",
] as const;
export type OnboardingStep = (typeof ONBOARDING_STEPS)[number];

/**
 * running: a step runs now; waiting: for the operator (between steps, or after a failure);
 * interrupted: Corral stopped while a step ran (see `interruption`); succeeded: the resource is
 * Started; cancelled: abandoned, its clean-up done. No "failed": a failed step leaves the job
 * waiting, since the operator can always run it again, change the settings, or abandon.
 */
export type OnboardingJobState = "running" | "waiting" | "succeeded" | "interrupted" | "cancelled";

export type ProgressState = "pending" | "running" | "succeeded" | "failed" | "skipped";

export interface NodeProgress {
  node: string;
  state: ProgressState;
  message: string;
  ms: number | null;
}

/** What the storage step found: per path and node, and the sources no path check covers. */
export interface StorageStepDetail {
  paths: StoragePathReport[];
  problems: StorageReport["problems"];
  /** Paths present on exactly one node. */
  nodeLocal: string[];
  uncheckable: UncheckableStorage[];
  sourceProblems: StorageSourceProblem[];
}

/** What the migration step found, kept for the options form and the create step. */
export interface MigrationReadiness {
  params: Record<string, string>;
  probes: MigrationProbe[];
  /** Some pairs failed and the operator accepted that moves there will stop and start the VM. */
  acceptedRestartMoves: boolean;
}

/**
 * What each step found, kept in its progress for the page. Dump and distribute say it all in
 * their node rows; the test's results are NodeTestResults (the matrix and history).
 */
export interface StepDetails {
  preflight: PreflightReport;
  dump: never;
  distribute: never;
  storage: StorageStepDetail;
  migration: MigrationReadiness;
  test: never;
  /** The resource created; or what refused it: the options' issues, the failing probes. */
  create: CreatedResource | OptionIssue[] | MigrationProbe[];
}

export interface StepProgress<Detail = StepDetails[OnboardingStep]> {
  state: ProgressState;
  message: string;
  /** The exact commands the step runs (argv), shown before and after it runs. */
  commands: string[][];
  nodes: NodeProgress[];
  startedAt: string | null;
  endedAt: string | null;
  /** What the step found, for the page to show; null before it found anything. */
  detail: Detail | null;
}

export type OnboardingSteps = { [S in OnboardingStep]: StepProgress<StepDetails[S]> };

export interface OnboardingSettings {
  configPath: string;
  /** Graceful shutdown wait, for the preflight shutdown and the start/stop test. */
  shutdownTimeoutS: number;
  startTimeoutS: number;
  guestAlive: GuestAliveCheck | null;
  migrationNetworkSuffix: string | null;
  resourceOptions: ResourceOptions | null;
}

export interface WrittenFile {
  node: string;
  path: string;
  sha256: string;
}

export interface JobLogLine {
  at: string;
  level: "info" | "warn" | "error";
  message: string;
  node: string | null;
}

export interface OnboardingJob {
  id: string;
  clusterId: string;
  vm: string;
  resourceName: string;
  allowedNodes: string[];
  /** The node whose definition is onboarded; known after preflight. */
  sourceNode: string | null;
  uuid: string | null;
  settings: OnboardingSettings;
  state: OnboardingJobState;
  currentStep: OnboardingStep | null;
  steps: OnboardingSteps;
  /** The dumped config: what every node must hold, byte for byte. */
  config: { sha256: string; bytes: number; xml: string } | null;
  /** Every config file this job wrote (dump, distribute): what abandoning it removes. */
  written: WrittenFile[];
  /** Set when Corral restarted mid-step: where the VM was found running afterwards. */
  interruption: {
    step: OnboardingStep | null;
    at: string;
    runningOn: string[] | null;
    note: string;
  } | null;
  log: JobLogLine[];
  error: string | null;
  actorId: string | null;
  actorName: string;
  createdAt: Date;
  updatedAt: Date;
}

/** One start/stop test of a VM on a node, as the test results matrix shows it. */
export interface NodeTestResult {
  id: string;
  clusterId: string;
  vm: string;
  node: string;
  jobId: string | null;
  outcome: "succeeded" | "failed" | "aborted";
  startOk: boolean;
  startMs: number | null;
  /** Graceful shutdown within the timeout; a destroy fallback is a failure here. */
  stopOk: boolean;
  stopMs: number | null;
  stopMethod: "graceful" | "destroy" | null;
  error: string | null;
  phases: TestPhase[];
  commands: string[][];
  output: string;
  actorId: string | null;
  actorName: string;
  testedAt: Date;
}

/** Where jobs and test results live; packages/db implements it. */
export interface OnboardingStore {
  createJob(job: OnboardingJob): Promise<void>;
  saveJob(job: OnboardingJob): Promise<void>;
  findJob(id: string): Promise<OnboardingJob | null>;
  /** Jobs not finished (running, waiting, interrupted) for the VM: at most one by design. */
  findOpenJob(clusterId: string, vm: string): Promise<OnboardingJob | null>;
  listJobs(filter: {
    clusterId?: string;
    vm?: string;
    state?: OnboardingJob["state"];
    limit: number;
  }): Promise<OnboardingJob[]>;
  /**
   * Marks a job that is still "running" interrupted (applyOnboarding, "interrupted": the step it
   * was in failed, the log says why), in one conditional write; null when it is no longer
   * running (its step settled meanwhile).
   */
  interruptJob(
    id: string,
    found: { runningOn: string[] | null; note: string },
  ): Promise<OnboardingJob | null>;
  recordTestResult(result: NodeTestResult): Promise<void>;
  listTestResults(filter: {
    clusterId: string;
    vm?: string;
    limit: number;
  }): Promise<NodeTestResult[]>;
}

/** One operation per VM at a time (packages/db's VmLockRepository). */
export interface VmOperationLock {
  runExclusive<T>(
    request: {
      clusterId: string;
      vm: string;
      holderId: string | null;
      holderName: string;
      operation: string;
      operationId?: string | null;
    },
    operation: () => Promise<T>,
  ): Promise<T>;
}

/**
 * How the test knows the guest is up before asking it to shut down (a guest still booting
 * ignores the ACPI request): a command on the node that exits 0 (ping, a port, qemu-agent), or
 * a line matching a pattern that this boot writes to the domain's serial console file.
 */
export type GuestAliveCheck =
  | { kind: "command"; argv: string[] }
  | { kind: "console"; pattern: string };
