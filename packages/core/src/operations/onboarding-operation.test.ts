import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseAgentMetadata } from "../agent/parse-agent-metadata.ts";
import { defaultResourceOptions } from "../onboarding/build-resource-create-command.ts";
import {
  ONBOARDING_STEPS,
  type OnboardingJob,
  type OnboardingStep,
} from "../onboarding/onboarding-job.types.ts";
import { exampleOnboardingSettings } from "../testing/example-onboarding-settings.ts";
import {
  abandonBlocker,
  applyOnboarding,
  isOnboardingSettled,
  type OnboardingEvent,
  openOnboardingJob,
  stepBlocker,
} from "./onboarding-operation.ts";

const AT = "2030-01-02T03:04:05.000Z";
const metadata = parseAgentMetadata(
  readFileSync(
    new URL("../inventory/fixtures/virtualdomain-metadata.xml", import.meta.url),
    "utf8",
  ),
);
const start = () =>
  openOnboardingJob(
    {
      id: "j1",
      clusterId: "c1",
      vm: "web1",
      resourceName: "web1",
      allowedNodes: ["node1", "node2"],
      settings: exampleOnboardingSettings(defaultResourceOptions(metadata)),
      actorId: null,
      actorName: "Ada",
    },
    new Date("2030-01-01T00:00:00.000Z"),
  );
const config = { sha256: "a".repeat(64), bytes: 1200, xml: "<domain/>" };
const started = (step: OnboardingStep): OnboardingEvent => ({ type: "step-started", step, at: AT });
const succeeded = (step: OnboardingStep): OnboardingEvent => ({
  type: "step-succeeded",
  step,
  message: `${step} done`,
  detail: null,
  at: AT,
});

/** One of each event kind. Step events name preflight: the step a waiting new job may run. */
const EVENTS: Record<OnboardingEvent["type"], OnboardingEvent> = {
  "step-started": started("preflight"),
  "node-progress": {
    type: "node-progress",
    node: "node1",
    state: "succeeded",
    message: "ok on node1",
    ms: 1200,
    at: AT,
  },
  "domain-found": { type: "domain-found", sourceNode: "node1", uuid: "u-1", at: AT },
  "config-dumped": { type: "config-dumped", node: "node1", config, at: AT },
  "config-written": { type: "config-written", node: "node2", at: AT },
  "step-succeeded": succeeded("preflight"),
  "step-failed": {
    type: "step-failed",
    step: "preflight",
    message: "Autostart is on",
    detail: null,
    at: AT,
  },
  log: { type: "log", level: "warn", message: "a note", node: null, at: AT },
  interrupted: { type: "interrupted", runningOn: [], note: "web1 runs on no node.", at: AT },
  resumed: { type: "resumed", actorName: "Bob", at: AT },
  "settings-changed": { type: "settings-changed", allowedNodes: ["node1"], at: AT },
  "commands-planned": {
    type: "commands-planned",
    commands: Object.fromEntries(
      ONBOARDING_STEPS.map((step) => [step, [["echo", step]]]),
    ) as Record<OnboardingStep, string[][]>,
    at: AT,
  },
  "request-refused": { type: "request-refused", message: "web1 is busy", at: AT },
  "cleanup-done": {
    type: "cleanup-done",
    node: "node1",
    what: "/etc/pacemaker/web1.xml on node1",
    file: null,
    at: AT,
  },
  "cleanup-stopped": {
    type: "cleanup-stopped",
    node: "node2",
    message: "Abandon stopped: node2 did not answer.",
    at: AT,
  },
  abandoned: { type: "abandoned", actorName: "Bob", keeps: ["web1 stays defined."], at: AT },
};

const run = (...events: OnboardingEvent[]) => events.reduce(applyOnboarding, start());
/** Preflight and dump done: the config is written on node1. */
const dumped = () =>
  run(
    started("preflight"),
    succeeded("preflight"),
    started("dump"),
    EVENTS["config-dumped"],
    succeeded("dump"),
  );

/** A job in each state it can be in, reached through events (never built by hand). */
const REACH: Record<string, () => OnboardingJob> = {
  waiting: () => start(),
  running: () => run(started("preflight")),
  interrupted: () => run(started("preflight"), EVENTS.interrupted),
  succeeded: () => run(...ONBOARDING_STEPS.flatMap((step) => [started(step), succeeded(step)])),
  cancelled: () => run(EVENTS.abandoned),
};

/**
 * What each state accepts: the state after the event. Every event not listed leaves the job as
 * it is (the same object); a settled job (succeeded, cancelled) accepts nothing.
 */
const ACCEPTS: Record<string, Partial<Record<OnboardingEvent["type"], string>>> = {
  waiting: {
    "step-started": "running",
    log: "waiting",
    "settings-changed": "waiting",
    "commands-planned": "waiting",
    "request-refused": "waiting",
    "cleanup-done": "waiting",
    "cleanup-stopped": "waiting",
    abandoned: "cancelled",
  },
  running: {
    "node-progress": "running",
    "domain-found": "running",
    "config-dumped": "running",
    "step-succeeded": "waiting",
    "step-failed": "waiting",
    log: "running",
    interrupted: "interrupted",
    "commands-planned": "running",
    "request-refused": "running",
  },
  interrupted: {
    log: "interrupted",
    resumed: "waiting",
    "commands-planned": "interrupted",
    "request-refused": "interrupted",
    "cleanup-done": "interrupted",
    "cleanup-stopped": "interrupted",
    abandoned: "cancelled",
  },
  succeeded: {},
  cancelled: {},
};

describe("applyOnboarding: every state x every event", () => {
  for (const [from, reach] of Object.entries(REACH)) {
    for (const [type, event] of Object.entries(EVENTS)) {
      const expected = ACCEPTS[from]?.[type as OnboardingEvent["type"]] ?? "same";
      it(`${from} + ${type} -> ${expected}`, () => {
        const before = reach();
        expect(before.state).toBe(from);
        const frozen = structuredClone(before);
        const after = applyOnboarding(before, event);
        // Pure: the job given is never changed.
        expect(before).toEqual(frozen);
        if (expected === "same") expect(after).toBe(before);
        else {
          expect(after.state).toBe(expected);
          expect(after).not.toBe(before);
          expect(after.updatedAt).toEqual(new Date(AT));
        }
        if (isOnboardingSettled(before)) expect(after).toBe(before);
      });
    }
  }
});

describe("applyOnboarding: what each transition records", () => {
  it("a step starts only in order, clears its rows and sends the later steps back to pending", () => {
    const waiting = start();
    expect(applyOnboarding(waiting, started("dump"))).toBe(waiting);
    const twice = run(
      started("preflight"),
      EVENTS["node-progress"],
      succeeded("preflight"),
      started("dump"),
      succeeded("dump"),
      EVENTS["commands-planned"],
      started("preflight"),
    );
    expect(twice).toMatchObject({
      state: "running",
      currentStep: "preflight",
      error: null,
      interruption: null,
    });
    expect(twice.steps.preflight).toMatchObject({
      state: "running",
      nodes: [],
      message: "",
      startedAt: AT,
      commands: [["echo", "preflight"]],
    });
    expect(twice.steps.dump).toMatchObject({ state: "pending", commands: [["echo", "dump"]] });
    expect(twice.log.at(-1)).toEqual({
      at: AT,
      level: "info",
      message: "preflight started",
      node: null,
    });
  });

  it("node progress updates the node's row in place and logs all but 'running'", () => {
    const running = run(started("preflight"), {
      ...(EVENTS["node-progress"] as Extract<OnboardingEvent, { type: "node-progress" }>),
      state: "running",
      message: "Shutting web1 down",
    });
    expect(running.log.map((line) => line.message)).toEqual(["preflight started"]);
    const failed = applyOnboarding(running, {
      type: "node-progress",
      node: "node1",
      state: "failed",
      message: "timed out",
      ms: null,
      at: AT,
    });
    expect(failed.steps.preflight.nodes).toEqual([
      { node: "node1", state: "failed", message: "timed out", ms: null },
    ]);
    expect(failed.log.at(-1)).toMatchObject({
      level: "error",
      message: "timed out",
      node: "node1",
    });
  });

  it("a step's result settles the step; only create's success ends the job; a failure waits", () => {
    const failed = run(started("preflight"), EVENTS["step-failed"]);
    expect(failed).toMatchObject({ state: "waiting", currentStep: null, error: "Autostart is on" });
    expect(failed.steps.preflight).toMatchObject({
      state: "failed",
      message: "Autostart is on",
      endedAt: AT,
    });
    expect(failed.log.at(-1)).toMatchObject({ level: "error", message: "Autostart is on" });
    // The result of another step than the one running is not this run's.
    const running = run(started("preflight"));
    expect(applyOnboarding(running, succeeded("dump"))).toBe(running);
    expect(REACH.succeeded?.()).toMatchObject({ state: "succeeded", error: null });
  });

  it("records the dumped config and every file written, once per node and path", () => {
    const dumped = run(
      started("preflight"),
      EVENTS["domain-found"],
      EVENTS["config-dumped"],
      EVENTS["config-written"],
      EVENTS["config-written"],
    );
    expect(dumped).toMatchObject({ sourceNode: "node1", uuid: "u-1", config });
    expect(dumped.written).toEqual([
      { node: "node1", path: "/etc/pacemaker/web1.xml", sha256: config.sha256 },
      { node: "node2", path: "/etc/pacemaker/web1.xml", sha256: config.sha256 },
    ]);
  });

  it("an interruption fails the step it cut off and says where the VM runs; resume waits again", () => {
    const interrupted = REACH.interrupted?.() as OnboardingJob;
    expect(interrupted).toMatchObject({
      state: "interrupted",
      currentStep: null,
      interruption: { step: "preflight", at: AT, runningOn: [], note: "web1 runs on no node." },
    });
    expect(interrupted.steps.preflight).toMatchObject({
      state: "failed",
      message: "Interrupted: Corral stopped while this step ran.",
    });
    expect(interrupted.log.at(-1)).toMatchObject({
      level: "warn",
      message: "Interrupted during preflight; web1 runs on no node.",
    });
    const resumed = applyOnboarding(interrupted, EVENTS.resumed);
    expect(resumed.state).toBe("waiting");
    expect(resumed.log.at(-1)?.message).toBe("Resumed by Bob");
    expect(stepBlocker(interrupted, "preflight")).toMatch(/interrupted: resume it/);
    expect(stepBlocker(resumed, "preflight")).toBeNull();
  });

  it("new allowed nodes send distribution and every later step back; a node left keeps no row", () => {
    const done = run(
      ...ONBOARDING_STEPS.filter((step) => step !== "create").flatMap((step) => [
        started(step),
        ...(step === "preflight" ? [EVENTS["domain-found"]] : []),
        {
          type: "node-progress" as const,
          node: "node2",
          state: "succeeded" as const,
          message: `${step} ok`,
          ms: null,
          at: AT,
        },
        succeeded(step),
      ]),
    );
    const limited = applyOnboarding(done, EVENTS["settings-changed"]);
    expect(limited.allowedNodes).toEqual(["node1"]);
    expect(ONBOARDING_STEPS.map((step) => limited.steps[step].state)).toEqual([
      "succeeded",
      "succeeded",
      "pending",
      "pending",
      "pending",
      "pending",
      "pending",
    ]);
    expect(limited.steps.preflight.nodes).toEqual([]);
    expect(limited.log.at(-1)?.message).toBe("Allowed nodes: node1");
    // The same nodes in another order change nothing but the order.
    const reordered = applyOnboarding(done, {
      type: "settings-changed",
      allowedNodes: ["node2", "node1"],
      at: AT,
    });
    expect(reordered.steps).toEqual(done.steps);
    expect(reordered.log).toEqual(done.log);
  });

  it("a new config path needs a new dump: every step from the dump on runs again", () => {
    const before = dumped();
    const moved = applyOnboarding(before, {
      type: "settings-changed",
      settings: { configPath: "/etc/pacemaker/vms/web1.xml" },
      at: AT,
    });
    expect(moved.config).toBeNull();
    expect(moved.settings.configPath).toBe("/etc/pacemaker/vms/web1.xml");
    expect(moved.steps.preflight.state).toBe("succeeded");
    expect(moved.steps.dump.state).toBe("pending");
    // What was written at the old path is still the job's to remove.
    expect(moved.written).toEqual(before.written);
  });

  it("abandoning logs each clean-up, forgets each removed file, and cancels only when done", () => {
    const file = { node: "node1", path: "/etc/pacemaker/web1.xml", sha256: config.sha256 };
    const stopped = applyOnboarding(dumped(), EVENTS["cleanup-stopped"]);
    expect(stopped).toMatchObject({
      state: "waiting",
      error: "Abandon stopped: node2 did not answer.",
    });
    const removed = applyOnboarding(stopped, {
      ...EVENTS["cleanup-done"],
      file,
    } as OnboardingEvent);
    expect(removed.written).toEqual([]);
    expect(removed.log.at(-1)).toMatchObject({
      message: "Removed /etc/pacemaker/web1.xml on node1",
      node: "node1",
    });
    const cancelled = applyOnboarding(removed, EVENTS.abandoned);
    expect(cancelled).toMatchObject({ state: "cancelled", currentStep: null, error: null });
    expect(cancelled.log.at(-1)?.message).toBe("Abandoned by Bob. web1 stays defined.");
  });

  it("a refused request is the job's error and its log's last line", () => {
    expect(applyOnboarding(start(), EVENTS["request-refused"])).toMatchObject({
      state: "waiting",
      error: "web1 is busy",
      log: [{ level: "error", message: "web1 is busy", node: null }],
    });
  });
});

describe("the rules the server and the wizard share", () => {
  it("a step runs only while the job waits, after every earlier step succeeded", () => {
    expect(stepBlocker(start(), "preflight")).toBeNull();
    expect(stepBlocker(start(), "storage")).toBe(
      "Run the preflight step successfully before storage.",
    );
    expect(stepBlocker(run(started("preflight")), "preflight")).toBe(
      "web1 is already running the preflight step.",
    );
    expect(stepBlocker(run(EVENTS.abandoned), "preflight")).toBe(
      "The onboarding of web1 is cancelled; start a new one to continue.",
    );
  });

  it("create waits for the resource options", () => {
    const tested = run(
      ...ONBOARDING_STEPS.filter((step) => step !== "create").flatMap((step) => [
        started(step),
        succeeded(step),
      ]),
    );
    expect(stepBlocker(tested, "create")).toBeNull();
    const withoutOptions = { ...tested, settings: { ...tested.settings, resourceOptions: null } };
    expect(stepBlocker(withoutOptions, "create")).toBe("Fill in the resource options first.");
  });

  it("a job is abandoned between steps, never while one runs", () => {
    expect(abandonBlocker(start())).toBeNull();
    expect(abandonBlocker(REACH.interrupted?.() as OnboardingJob)).toBeNull();
    expect(abandonBlocker(run(started("preflight")))).toBe(
      "The preflight step of web1 is running: wait until it ends, then abandon.",
    );
    expect(abandonBlocker(run(EVENTS.abandoned))).toBe("The onboarding of web1 is cancelled.");
  });
});
