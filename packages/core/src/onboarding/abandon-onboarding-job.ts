import { type AgentLocation, agentArgv } from "../agent/agent-layout.ts";
import { runAgent } from "../agent/run-agent.ts";
import { AppError } from "../errors.ts";
import { abandonBlocker, applyOnboarding } from "../operations/onboarding-operation.ts";
import type { Result } from "../result.ts";
import type { NodeTarget } from "../ssh/node-target.ts";
import type { SshPool } from "../ssh/ssh-pool.ts";
import { removedConfigSchema } from "./onboarding-agent-protocol.ts";
import type { OnboardingJob, OnboardingStore, WrittenFile } from "./onboarding-job.types.ts";

/** One command of an abandon's clean-up, on one node, with what it undoes. */
export type CleanupAction =
  | { kind: "command"; node: string; argv: string[]; what: string }
  | { kind: "remove-config"; node: string; file: WrittenFile; argv: string[]; what: string };

export interface AbandonPlan {
  actions: CleanupAction[];
  /** What the clean-up leaves as it is, said before the click. */
  keeps: string[];
}

/**
 * Undoes what the job did on the nodes, in an order that never loses the VM: the resource it
 * created goes first (with its constraints) and the domain is defined again on its node from
 * the config file (VirtualDomain's start undefines it), and only then are the config files it
 * wrote removed, each only while it still holds what the job wrote.
 */
export function planAbandon(
  job: OnboardingJob,
  resourceExists: boolean,
  location: AgentLocation = {},
): AbandonPlan {
  const actions: CleanupAction[] = [];
  const keeps: string[] = [];
  const runner = job.sourceNode ?? job.allowedNodes[0] ?? "";
  const createRan = job.steps.create.state !== "pending";
  if (resourceExists && createRan) {
    actions.push({
      kind: "command",
      node: runner,
      argv: ["pcs", "resource", "delete", job.resourceName],
      what: `the resource ${job.resourceName} this job created, with its constraints (stopped first if it runs)`,
    });
    if (job.sourceNode) {
      actions.push({
        kind: "command",
        node: job.sourceNode,
        argv: ["virsh", "--connect", "qemu:///system", "define", job.settings.configPath],
        what: `${job.vm} defined again on ${job.sourceNode}, as before the onboarding`,
      });
    }
  } else if (resourceExists) {
    keeps.push(
      `A resource named ${job.resourceName} exists but this job did not create it: it is kept.`,
    );
  }
  for (const file of job.written) {
    actions.push({
      kind: "remove-config",
      node: file.node,
      file,
      argv: agentArgv("remove-config", [file.path, file.sha256], location),
      what: `${file.path} on ${file.node} (only while it is the file this job wrote)`,
    });
  }
  if (job.steps.preflight.nodes.length > 0) {
    keeps.push(`The preflight fixes stay: a VM it shut down stays shut off, autostart stays off.`);
  }
  keeps.push(
    `${job.vm} stays defined on ${job.sourceNode ?? "its node"}; its disks are not touched.`,
  );
  return { actions, keeps };
}

/**
 * Runs the plan one action at a time and stops at the first failure (a node that does not
 * answer): the job then stays open, its log says what was done and what is left, and
 * abandoning again carries on. Only a complete clean-up cancels the job.
 */
export async function abandonOnboardingJob(
  deps: {
    pool: SshPool;
    store: OnboardingStore;
    clusterNodes: readonly NodeTarget[];
    agentLocation?: AgentLocation;
  },
  job: OnboardingJob,
  resourceExists: boolean,
  actor: { actorId: string | null; actorName: string },
): Promise<OnboardingJob> {
  const blocker = abandonBlocker(job);
  if (blocker) throw new AppError("CONFLICT", blocker);
  const plan = planAbandon(job, resourceExists, deps.agentLocation);
  const context = { actorId: actor.actorId, clusterId: job.clusterId, vm: job.vm };
  const at = () => new Date().toISOString();
  let current = job;
  for (const action of plan.actions) {
    const node = deps.clusterNodes.find((candidate) => candidate.id === action.node);
    const done: Result<string> = !node
      ? { ok: false, error: new AppError("NOT_FOUND", `${action.node} is no node of the cluster.`) }
      : await runAction(deps, node, action, context);
    if (!done.ok) {
      current = applyOnboarding(current, {
        type: "cleanup-stopped",
        node: action.node,
        message: `Abandon stopped: ${action.what}: ${done.error.message}. Nothing after it was done; abandon again once ${action.node} answers.`,
        at: at(),
      });
      await deps.store.saveJob(current);
      return current;
    }
    current = applyOnboarding(current, {
      type: "cleanup-done",
      node: action.node,
      what: done.value,
      file: action.kind === "remove-config" ? action.file : null,
      at: at(),
    });
  }
  current = applyOnboarding(current, {
    type: "abandoned",
    actorName: actor.actorName,
    keeps: plan.keeps,
    at: at(),
  });
  await deps.store.saveJob(current);
  return current;
}

async function runAction(
  deps: { pool: SshPool; agentLocation?: AgentLocation },
  node: NodeTarget,
  action: CleanupAction,
  context: { actorId: string | null; clusterId: string; vm: string },
): Promise<Result<string>> {
  if (action.kind === "command") {
    const ran = await deps.pool.run(node, action.argv, { ...context, timeoutMs: 240_000 });
    return ran.ok ? { ok: true, value: action.what } : ran;
  }
  const { path, sha256 } = action.file;
  const removed = await runAgent(
    deps.pool,
    node,
    "remove-config",
    [path, sha256],
    removedConfigSchema,
    { ...context, ...deps.agentLocation },
  );
  if (!removed.ok) return removed;
  const { reason } = removed.value;
  return {
    ok: true,
    value: removed.value.removed
      ? action.what
      : `nothing at ${path}: ${reason === "absent" ? "already absent" : `kept, ${reason}`}`,
  };
}
