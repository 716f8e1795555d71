import {
  type JobLogLine,
  ONBOARDING_STEPS,
  type OnboardingJob,
  type OnboardingJobState,
  type OnboardingSettings,
  type OnboardingStep,
  type OnboardingSteps,
  type ProgressState,
  type StepDetails,
  type StepProgress,
  type WrittenFile,
} from "../onboarding/onboarding-job.types.ts";

/**
 * The onboarding job's transitions, pure, and the rules of what may happen next, shared by the
 * server and the wizard (a browser-safe entry, `@corral/core/onboarding-operation`: nothing here
 * reaches node:* modules or ssh2). Every `at` is an ISO time stamp taken by the caller.
 */

/** Jobs not finished: at most one per VM, and the wizard picks it up again. */
export const OPEN_STATES: readonly OnboardingJobState[] = ["running", "waiting", "interrupted"];

/** A step's result, with what it found (each step's own kind of detail). */
export interface StepEndedEvent<S extends OnboardingStep = OnboardingStep> {
  type: "step-succeeded" | "step-failed";
  step: S;
  message: string;
  detail: StepDetails[S] | null;
  at: string;
}

export type OnboardingEvent =
  | { type: "step-started"; step: OnboardingStep; at: string }
  | {
      type: "node-progress";
      node: string;
      state: ProgressState;
      message: string;
      ms: number | null;
      at: string;
    }
  /** Preflight found the definition to onboard. */
  | { type: "domain-found"; sourceNode: string; uuid: string | null; at: string }
  /** The dump wrote the config on `node` (the source). */
  | {
      type: "config-dumped";
      node: string;
      config: NonNullable<OnboardingJob["config"]>;
      at: string;
    }
  /** A copy of the dumped config reached `node`. */
  | { type: "config-written"; node: string; at: string }
  | StepEndedEvent
  | { type: "log"; level: JobLogLine["level"]; message: string; node: string | null; at: string }
  /** The Corral running the step stopped; where the VM runs was asked of every node. */
  | { type: "interrupted"; runningOn: string[] | null; note: string; at: string }
  | { type: "resumed"; actorName: string; at: string }
  /** Between steps, the operator changed the allowed nodes or the settings. */
  | {
      type: "settings-changed";
      allowedNodes?: string[];
      settings?: Partial<OnboardingSettings>;
      at: string;
    }
  /** The exact commands of every step, planned again from what the job knows now. */
  | { type: "commands-planned"; commands: Record<OnboardingStep, string[][]>; at: string }
  /** A request for the job failed outside any step (the VM held by another operation, ...). */
  | { type: "request-refused"; message: string; at: string }
  /** Abandoning: one clean-up action done (`file`: the config file it removed, if any). */
  | { type: "cleanup-done"; node: string; what: string; file: WrittenFile | null; at: string }
  /** Abandoning stopped at an action that failed; the job stays open. */
  | { type: "cleanup-stopped"; node: string; message: string; at: string }
  /** Abandoning cleaned up everything: the job is cancelled. */
  | { type: "abandoned"; actorName: string; keeps: string[]; at: string };

/** Why `step` cannot run now, or null when it can: the server refuses it, the wizard greys it out. */
export function stepBlocker(
  job: Pick<OnboardingJob, "vm" | "state" | "currentStep" | "steps" | "settings">,
  step: OnboardingStep,
): string | null {
  if (job.state === "running") return `${job.vm} is already running the ${job.currentStep} step.`;
  if (job.state === "interrupted") {
    return `The onboarding of ${job.vm} was interrupted: resume it, or abandon it.`;
  }
  if (job.state !== "waiting") {
    return `The onboarding of ${job.vm} is ${job.state}; start a new one to continue.`;
  }
  const earlier = ONBOARDING_STEPS.slice(0, ONBOARDING_STEPS.indexOf(step)).find(
    (other) => job.steps[other].state !== "succeeded",
  );
  if (earlier) return `Run the ${earlier} step successfully before ${step}.`;
  if (step === "create" && !job.settings.resourceOptions) {
    return "Fill in the resource options first.";
  }
  return null;
}

/** Why the allowed nodes and settings cannot change now, or null: only between steps. */
export function settingsBlocker(job: Pick<OnboardingJob, "vm" | "state">): string | null {
  return job.state === "waiting"
    ? null
    : `The onboarding of ${job.vm} is ${job.state}; it can be changed only between steps.`;
}

/** Why the job cannot be abandoned now, or null: a running step ends first. */
export function abandonBlocker(
  job: Pick<OnboardingJob, "vm" | "state" | "currentStep">,
): string | null {
  if (job.state === "waiting" || job.state === "interrupted") return null;
  return job.state === "running"
    ? `The ${job.currentStep} step of ${job.vm} is running: wait until it ends, then abandon.`
    : `The onboarding of ${job.vm} is ${job.state}.`;
}

function pendingStep<Detail>(commands: string[][] = []): StepProgress<Detail> {
  return {
    state: "pending",
    message: "",
    commands,
    nodes: [],
    startedAt: null,
    endedAt: null,
    detail: null,
  };
}

/** A new job, waiting for its first step; its commands are planned by the caller. */
export function openOnboardingJob(
  job: Pick<
    OnboardingJob,
    | "id"
    | "clusterId"
    | "vm"
    | "resourceName"
    | "allowedNodes"
    | "settings"
    | "actorId"
    | "actorName"
  >,
  at: Date,
): OnboardingJob {
  return {
    ...job,
    sourceNode: null,
    uuid: null,
    state: "waiting",
    currentStep: null,
    steps: stepsOf(() => pendingStep()),
    config: null,
    written: [],
    interruption: null,
    log: [],
    error: null,
    createdAt: at,
    updatedAt: at,
  };
}

/** Settled for good: no event changes it. */
export function isOnboardingSettled(job: Pick<OnboardingJob, "state">): boolean {
  return !OPEN_STATES.includes(job.state);
}

/**
 * Every transition of an onboarding job, pure: the step runner, recovery, resume, the settings
 * form and abandon report what happened as events; an event the job's state does not accept
 * leaves it as it is (the same object).
 */
export function applyOnboarding(job: OnboardingJob, event: OnboardingEvent): OnboardingJob {
  const next = transition(job, event);
  return next === job ? job : { ...next, updatedAt: new Date(event.at) };
}

function transition(job: OnboardingJob, event: OnboardingEvent): OnboardingJob {
  if (isOnboardingSettled(job)) return job;
  switch (event.type) {
    case "step-started": {
      if (stepBlocker(job, event.step) !== null) return job;
      const later = ONBOARDING_STEPS.slice(ONBOARDING_STEPS.indexOf(event.step) + 1);
      const steps = stepsOf((step) => {
        const progress = job.steps[step];
        if (step === event.step) {
          return {
            ...pendingStep(progress.commands),
            state: "running",
            startedAt: event.at,
          };
        }
        // What ran after this step relied on what it did before: it runs again.
        return later.includes(step) && progress.state !== "pending"
          ? pendingStep(progress.commands)
          : progress;
      });
      return log(
        {
          ...job,
          state: "running",
          currentStep: event.step,
          error: null,
          interruption: null,
          steps,
        },
        { level: "info", message: `${event.step} started`, node: null, at: event.at },
      );
    }
    case "node-progress": {
      const step = job.state === "running" ? job.currentStep : null;
      if (!step) return job;
      const { node, state, message, ms } = event;
      const nodes = job.steps[step].nodes;
      const row = { node, state, message, ms };
      const updated = withStep(job, step, (progress) => ({
        ...progress,
        nodes: nodes.some((n) => n.node === node)
          ? nodes.map((n) => (n.node === node ? row : n))
          : [...nodes, row],
      }));
      if (state === "running") return updated;
      return log(updated, {
        level: state === "failed" ? "error" : "info",
        message,
        node,
        at: event.at,
      });
    }
    case "domain-found":
      if (job.state !== "running") return job;
      return { ...job, sourceNode: event.sourceNode, uuid: event.uuid };
    case "config-dumped":
      if (job.state !== "running") return job;
      return wrote({ ...job, config: event.config }, event.node);
    case "config-written":
      if (job.state !== "running" || !job.config) return job;
      return wrote(job, event.node);
    case "step-succeeded":
    case "step-failed": {
      if (job.state !== "running" || job.currentStep !== event.step) return job;
      const succeeded = event.type === "step-succeeded";
      const ended = endStep(job, event);
      return log(
        {
          ...ended,
          state: succeeded && event.step === "create" ? "succeeded" : "waiting",
          currentStep: null,
          error: succeeded ? job.error : event.message,
        },
        { level: succeeded ? "info" : "error", message: event.message, node: null, at: event.at },
      );
    }
    case "log":
      return log(job, event);
    case "interrupted": {
      if (job.state !== "running") return job;
      const step = job.currentStep;
      const marked = step
        ? withStep(job, step, (progress) => ({
            ...progress,
            state: "failed",
            message: "Interrupted: Corral stopped while this step ran.",
            endedAt: event.at,
          }))
        : job;
      return log(
        {
          ...marked,
          state: "interrupted",
          currentStep: null,
          interruption: { step, at: event.at, runningOn: event.runningOn, note: event.note },
        },
        {
          level: "warn",
          message: `Interrupted during ${step ?? "no step"}; ${event.note}`,
          node: null,
          at: event.at,
        },
      );
    }
    case "resumed":
      if (job.state !== "interrupted") return job;
      return log(
        { ...job, state: "waiting" },
        { level: "info", message: `Resumed by ${event.actorName}`, node: null, at: event.at },
      );
    case "settings-changed":
      if (settingsBlocker(job) !== null) return job;
      return changeSettings(job, event);
    case "commands-planned":
      return {
        ...job,
        steps: stepsOf((step) => ({ ...job.steps[step], commands: event.commands[step] })),
      };
    case "request-refused":
      return log(
        { ...job, error: event.message },
        { level: "error", message: event.message, node: null, at: event.at },
      );
    case "cleanup-done": {
      if (abandonBlocker(job) !== null) return job;
      const { file } = event;
      const written = file
        ? job.written.filter(
            (w) => !(w.node === file.node && w.path === file.path && w.sha256 === file.sha256),
          )
        : job.written;
      return log(
        { ...job, written },
        { level: "info", message: `Removed ${event.what}`, node: event.node, at: event.at },
      );
    }
    case "cleanup-stopped":
      if (abandonBlocker(job) !== null) return job;
      return log(
        { ...job, error: event.message },
        { level: "error", message: event.message, node: event.node, at: event.at },
      );
    case "abandoned":
      if (abandonBlocker(job) !== null) return job;
      return log(
        { ...job, state: "cancelled", currentStep: null, error: null },
        {
          level: "info",
          message: `Abandoned by ${event.actorName}. ${event.keeps.join(" ")}`,
          node: null,
          at: event.at,
        },
      );
  }
}

/**
 * New nodes have not received the config nor been checked or tested: every step from
 * distribution on runs again.
 * A new config path needs a new dump: every step from the dump on runs again.
 */
function changeSettings(
  job: OnboardingJob,
  event: Extract<OnboardingEvent, { type: "settings-changed" }>,
): OnboardingJob {
  let next = job;
  if (event.allowedNodes) {
    const allowedNodes = [...event.allowedNodes];
    const changed = [...allowedNodes].sort().join() !== [...job.allowedNodes].sort().join();
    next = { ...next, allowedNodes };
    if (changed) {
      const reset = ONBOARDING_STEPS.slice(ONBOARDING_STEPS.indexOf("distribute") + 1);
      next = {
        ...next,
        steps: stepsOf((step) => {
          const progress = next.steps[step];
          // A node no longer allowed keeps no row: its "succeeded" would say it is still covered.
          const nodes = progress.nodes.filter(
            (n) => n.node === next.sourceNode || allowedNodes.includes(n.node),
          );
          if (reset.includes(step) && progress.state !== "pending") return pendingStep();
          if (step === "distribute" && progress.state === "succeeded") {
            return { ...progress, nodes, state: "pending" };
          }
          return { ...progress, nodes };
        }),
      };
      next = log(next, {
        level: "info",
        message: `Allowed nodes: ${allowedNodes.join(", ")}`,
        node: null,
        at: event.at,
      });
    }
  }
  if (event.settings) {
    const pathChanged =
      event.settings.configPath !== undefined &&
      event.settings.configPath !== next.settings.configPath;
    next = { ...next, settings: { ...next.settings, ...event.settings } };
    if (pathChanged) {
      const redo = ONBOARDING_STEPS.slice(ONBOARDING_STEPS.indexOf("dump"));
      next = {
        ...next,
        steps: stepsOf((step) => (redo.includes(step) ? pendingStep() : next.steps[step])),
        config: null,
      };
    }
  }
  return next;
}

function stepsOf(
  progress: <S extends OnboardingStep>(step: S) => StepProgress<StepDetails[S]>,
): OnboardingSteps {
  return Object.fromEntries(
    ONBOARDING_STEPS.map((step) => [step, progress(step)]),
  ) as OnboardingSteps;
}

function withStep<S extends OnboardingStep>(
  job: OnboardingJob,
  step: S,
  change: (progress: StepProgress<StepDetails[S]>) => StepProgress<StepDetails[S]>,
): OnboardingJob {
  return { ...job, steps: { ...job.steps, [step]: change(job.steps[step]) } };
}

function endStep<S extends OnboardingStep>(job: OnboardingJob, event: StepEndedEvent<S>) {
  return withStep(job, event.step, (progress) => ({
    ...progress,
    state: event.type === "step-succeeded" ? "succeeded" : "failed",
    message: event.message,
    detail: event.detail,
    endedAt: event.at,
  }));
}

function log(
  job: OnboardingJob,
  line: { level: JobLogLine["level"]; message: string; node: string | null; at: string },
): OnboardingJob {
  const { at, level, message, node } = line;
  return { ...job, log: [...job.log, { at, level, message, node }] };
}

/** Notes a config file the job wrote, so abandoning the job can remove exactly that. */
function wrote(job: OnboardingJob, node: string): OnboardingJob {
  if (!job.config) return job;
  const file = { node, path: job.settings.configPath, sha256: job.config.sha256 };
  return {
    ...job,
    written: [...job.written.filter((w) => !(w.node === node && w.path === file.path)), file],
  };
}
