import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { agentArgv } from "../agent/agent-layout.ts";
import { type RunAgentOptions, runAgent } from "../agent/run-agent.ts";
import { AppError } from "../errors.ts";
import { err, type Result } from "../result.ts";
import type { NodeTarget } from "../ssh/node-target.ts";
import type { SshPool } from "../ssh/ssh-pool.ts";
import { ensureDomainRunsNowhere } from "./locate-domain.ts";
import { type TestJobState, testJobStateSchema } from "./onboarding-agent-protocol.ts";
import type { GuestAliveCheck, NodeTestResult, OnboardingJob } from "./onboarding-job.types.ts";

export interface StartStopTestSpec {
  /** Unique per node and attempt: the agent keeps jobs/<jobId>/ on the node. */
  jobId: string;
  domain: string;
  uuid: string | null;
  config: string;
  startTimeoutS: number;
  shutdownTimeoutS: number;
  guestAlive: GuestAliveCheck | null;
}

/** The test an onboarding's settings define, run by its test step and by every re-test. */
export function startStopTestOf(
  job: Pick<OnboardingJob, "vm" | "uuid" | "settings">,
): Omit<StartStopTestSpec, "jobId"> {
  return {
    domain: job.vm,
    uuid: job.uuid,
    config: job.settings.configPath,
    startTimeoutS: job.settings.startTimeoutS,
    shutdownTimeoutS: job.settings.shutdownTimeoutS,
    guestAlive: job.settings.guestAlive,
  };
}

export function testStartStopArgv(options: RunAgentOptions = {}) {
  return agentArgv("test-start-stop", [], options);
}

/** What the node-local job runs, for the wizard to show before the test. */
export function startStopTestCommands(
  spec: Pick<StartStopTestSpec, "domain" | "config" | "guestAlive">,
) {
  const virsh = ["virsh", "-c", "qemu:///system"];
  return [
    [...virsh, "domstate", "--domain", spec.domain],
    [...virsh, "create", spec.config],
    ...(spec.guestAlive?.kind === "command" ? [spec.guestAlive.argv] : []),
    [...virsh, "shutdown", "--domain", spec.domain],
    [...virsh, "destroy", "--domain", spec.domain],
  ];
}

const REATTACH_POLL_MS = 1_000;

/**
 * Starts the domain from its config on one node and stops it gracefully, as VirtualDomain
 * would, after checking that it runs on none of `clusterNodes`. The agent runs it as a
 * node-local job holding the per-VM lock and destroys the domain if this session drops; after a
 * drop this reads the job's own record once the node answers again.
 */
export async function testStartStopOnNode(
  pool: SshPool,
  node: NodeTarget,
  clusterNodes: readonly NodeTarget[],
  spec: StartStopTestSpec,
  options: RunAgentOptions = {},
): Promise<Result<TestJobState>> {
  const context = { ...options, vm: options.vm ?? spec.domain };
  const nowhere = await ensureDomainRunsNowhere(
    pool,
    clusterNodes,
    { name: spec.domain, uuid: spec.uuid },
    context,
  );
  if (!nowhere.ok) return nowhere;
  const agentSpec = {
    jobId: spec.jobId,
    domain: spec.domain,
    config: spec.config,
    startTimeoutS: spec.startTimeoutS,
    shutdownTimeoutS: spec.shutdownTimeoutS,
    guestAlive: spec.guestAlive,
  };
  const budgetMs = (2 * spec.startTimeoutS + spec.shutdownTimeoutS + 60) * 1000;
  const ran = await runAgent(pool, node, "test-start-stop", [], testJobStateSchema, {
    ...context,
    stdin: JSON.stringify(agentSpec),
    timeoutMs: budgetMs,
  });
  if (ran.ok || !["NODE_UNREACHABLE", "COMMAND_TIMEOUT"].includes(ran.error.code)) return ran;
  return readTestOutcomeAfterDrop(pool, node, spec.jobId, context, ran.error);
}

/** The job ends by itself once its controller is gone; wait for its final record. */
async function readTestOutcomeAfterDrop(
  pool: SshPool,
  node: NodeTarget,
  jobId: string,
  options: RunAgentOptions,
  drop: AppError,
): Promise<Result<TestJobState>> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const status = await readTestJob(pool, node, jobId, options);
    if (status.ok && status.value.state !== "running") return status;
    if (!status.ok && status.error.code === "NOT_FOUND") return err(drop);
    await sleep(REATTACH_POLL_MS);
  }
  return err(
    new AppError(
      "NODE_UNREACHABLE",
      `The start/stop test on ${node.id} lost its session and its record could not be read within 60 s: check \`virsh list\` on ${node.id}.`,
      { node: node.id },
      { cause: drop },
    ),
  );
}

function readTestJob(
  pool: SshPool,
  node: NodeTarget,
  jobId: string,
  options: RunAgentOptions = {},
): Promise<Result<TestJobState>> {
  return runAgent(pool, node, "test-status", [jobId], testJobStateSchema, options);
}

function phaseMs(phases: NodeTestResult["phases"], names: string[]): number | null {
  const found = phases.filter((p) => names.includes(p.name));
  return found.length ? found.reduce((sum, p) => sum + p.ms, 0) : null;
}

/** One node's test as the matrix and history store it, whoever ran it (onboarding or a re-test). */
export function toTestResult(
  run: Pick<NodeTestResult, "clusterId" | "vm" | "jobId" | "actorId" | "actorName">,
  node: string,
  outcome: Awaited<ReturnType<typeof testStartStopOnNode>>,
  commands: string[][],
): NodeTestResult {
  const base = {
    id: randomUUID(),
    clusterId: run.clusterId,
    vm: run.vm,
    node,
    jobId: run.jobId,
    commands,
    actorId: run.actorId,
    actorName: run.actorName,
    testedAt: new Date(),
  };
  if (!outcome.ok) {
    return {
      ...base,
      outcome: "failed",
      startOk: false,
      startMs: null,
      stopOk: false,
      stopMs: null,
      stopMethod: null,
      error: outcome.error.message,
      phases: [],
      output: outcome.error.context.stderr ?? "",
    };
  }
  const state = outcome.value;
  const start = state.phases.find((p) => p.name === "start");
  const startOk =
    Boolean(start?.ok) &&
    state.phases
      .filter((p) => p.name === "running" || p.name === "guest-alive")
      .every((p) => p.ok) &&
    state.phases.some((p) => p.name === "running");
  return {
    ...base,
    outcome: state.state === "running" ? "failed" : state.state,
    startOk,
    startMs: phaseMs(state.phases, ["start", "running", "guest-alive"]),
    stopOk: state.stopMethod === "graceful",
    stopMs: phaseMs(state.phases, ["shutdown", "destroy"]),
    stopMethod: state.stopMethod,
    error: state.error,
    phases: state.phases,
    output: state.log,
  };
}
