import { setTimeout as sleep } from "node:timers/promises";
import { AppError } from "../errors.ts";
import type { ClusterStatus, FailedAction, ResourceStatus } from "../inventory/parse-crm-mon.ts";
import type { LocationConstraint } from "../inventory/parse-location-constraints.ts";
import { type OperationRecord, operationsSince } from "../inventory/parse-operation-history.ts";
import { err, ok, type Result } from "../result.ts";
import type { NodeTarget } from "../ssh/node-target.ts";
import type { CommandContext, SshPool } from "../ssh/ssh-pool.ts";
import { judgeMoveOutcome, type MoveHow } from "./judge-move-outcome.ts";
import type { MoveConstraintMode } from "./move-constraint-mode.ts";
import { explainPcsFailure } from "./pcs-failure.ts";
import {
  readClusterStatusFromAny,
  readLocationConstraints,
  readOperationHistory,
} from "./read-cluster-status.ts";
import { type MigrationProgress, readMigrationProgress } from "./read-migration-progress.ts";

export interface MoveResourceInput {
  vm: string;
  /** Where it runs now (null when stopped): the source of a live migration's memory transfer. */
  source: string | null;
  target: string;
  /** allow-migrate=true: pacemaker migrates live; otherwise it stops and starts (downtime). */
  live: boolean;
  /** The move's constraint: cleared once there (the default), kept, or kept for a lifetime. */
  constraint?: MoveConstraintMode;
  timeoutMs?: number;
}

/**
 * What the operator watches. Live: requested -> migrate_to (memory transfer on the source) ->
 * migrate_from (the target takes over) -> stopping_source -> started. Not live: requested ->
 * stopping -> starting -> started.
 */
export type MovePhase =
  | "requested"
  | "migrate_to"
  | "migrate_from"
  | "stopping_source"
  | "stopping"
  | "starting"
  | "started";

export interface MoveProgress {
  phase: MovePhase;
  resource: ResourceStatus | null;
  /** The memory transfer during migrate_to; null otherwise. */
  transfer: MigrationProgress | null;
  elapsedMs: number;
}

export interface MoveOutcome {
  argv: string[];
  /** From the request to pacemaker reporting Started on the target. */
  startedAfterMs: number;
  /** From the request until pcs returned (it also removes its constraint) and the cluster settled. */
  durationMs: number;
  /**
   * A cli-prefer- constraint still pinning the VM: pcs removes it only when the move succeeds,
   * and keeps it when asked to (`constraint` other than "clear").
   */
  leftoverConstraint: LocationConstraint | null;
  /** Live or restarted, from Pacemaker's operation history and the target's libvirt. */
  how: MoveHow;
}

export interface MoveFailure {
  error: AppError;
  /** Pacemaker's failed operations of this VM during the move. */
  failedActions: FailedAction[];
  leftoverConstraint: LocationConstraint | null;
  /** The nodes pacemaker last saw it active on. */
  runningOn: string[];
}

export function moveResourceArgv(
  vm: string,
  target: string,
  constraint: MoveConstraintMode = "clear",
): string[] {
  if (constraint === "clear") return ["pcs", "resource", "move", vm, target];
  // move-with-constraint returns once the constraint is written unless told to wait.
  return [
    "pcs",
    "resource",
    "move-with-constraint",
    vm,
    target,
    ...(constraint === "keep" ? [] : [`lifetime=${constraint}`]),
    "--wait=180",
  ];
}

const POLL_MS = 400;
/** How long to let pacemaker finish its recovery after pcs gave up, before reporting. */
const SETTLE_MS = 90_000;

/** Pacemaker is moving it (Migrating, Stopping, Starting): where it runs is about to change. */
export function isTransitional(resource: ResourceStatus | null): boolean {
  return resource !== null && ["Migrating", "Stopping", "Starting"].includes(resource.role);
}

/** The one node Pacemaker has it Started on; null when stopped, moving or on several. */
export function startedOn(resource: ResourceStatus | null | undefined): string | null {
  return resource?.role === "Started" && resource.nodes.length === 1
    ? (resource.nodes[0] ?? null)
    : null;
}

/** Which step of a move the resource is in, from one status read. */
export function movePhase(
  resource: ResourceStatus | null,
  input: Pick<MoveResourceInput, "source" | "target">,
): MovePhase {
  if (!resource) return "requested";
  const { role, nodes } = resource;
  if (role === "Migrating") return nodes.includes(input.target) ? "migrate_from" : "migrate_to";
  if (role === "Stopping") return nodes.includes(input.target) ? "stopping_source" : "stopping";
  if (role === "Starting") return "starting";
  if (role === "Started" && nodes.length === 1 && nodes[0] === input.target) return "started";
  if (role === "Stopped" && input.source) return "starting";
  return "requested";
}

/**
 * `pcs resource move VM TARGET`, watched while it runs: the phases from crm_mon and, during
 * migrate_to, the memory transfer from `virsh domjobinfo` on the source, reported through
 * `onProgress` (about every 0.4 s and at each phase change).
 */
export async function moveResource(
  pool: SshPool,
  nodes: readonly NodeTarget[],
  input: MoveResourceInput,
  onProgress: (progress: MoveProgress) => void,
  context: CommandContext = {},
): Promise<Result<MoveOutcome, MoveFailure>> {
  const began = Date.now();
  const argv = moveResourceArgv(input.vm, input.target, input.constraint);
  const sourceNode = nodes.find((node) => node.id === input.source);
  // pcs runs on the source when it can: the node that certainly sees the resource.
  const runner = sourceNode ?? nodes[0];
  if (!runner) {
    return err({
      error: new AppError("INVALID_INPUT", "The cluster has no node to run pcs on."),
      failedActions: [],
      leftoverConstraint: null,
      runningOn: [],
    });
  }
  const observers = [runner, ...nodes.filter((node) => node !== runner)];
  const scoped = { ...context, vm: input.vm };
  // What Pacemaker had recorded before: the operations after it are this move's.
  const historyBefore = await readOperationHistory(pool, observers, scoped);
  let settled = false;
  const pcs = pool
    .run(runner, argv, { ...scoped, timeoutMs: input.timeoutMs ?? 300_000 })
    .finally(() => {
      settled = true;
    });

  let startedAfterMs: number | null = null;
  let lastStatus: ClusterStatus | null = null;
  let settleDeadline: number | null = null;
  // Watch until pcs returned and the resource left its transitional roles: a failed move
  // returns from pcs while pacemaker still runs (and records) the failing migrate_to.
  for (;;) {
    const read = await readClusterStatusFromAny(pool, observers, scoped);
    const resource = read.ok
      ? (read.value.resources.find((candidate) => candidate.id === input.vm) ?? null)
      : null;
    if (read.ok) {
      lastStatus = read.value;
      const phase = movePhase(resource, input);
      if (phase === "started") startedAfterMs ??= Date.now() - began;
      let transfer: MigrationProgress | null = null;
      if (phase === "migrate_to" && input.live && sourceNode) {
        const progress = await readMigrationProgress(pool, sourceNode, input.vm, scoped);
        transfer = progress.ok ? progress.value : null;
      }
      onProgress({ phase, resource, transfer, elapsedMs: Date.now() - began });
    }
    if (settled) {
      settleDeadline ??= Date.now() + SETTLE_MS;
      if ((read.ok && !isTransitional(resource)) || Date.now() > settleDeadline) break;
    }
    await Promise.race([sleep(POLL_MS), pcs]);
  }

  const ran = await pcs;
  const durationMs = Date.now() - began;
  const finalStatus = lastStatus;
  const resource = finalStatus?.resources.find((candidate) => candidate.id === input.vm) ?? null;
  const constraints = await readLocationConstraints(pool, runner, scoped);
  const leftoverConstraint =
    (constraints.ok ? constraints.value : []).find(
      (constraint) => constraint.resource === input.vm && constraint.origin === "move",
    ) ?? null;
  const finalPhase = movePhase(resource, input);

  if (ran.ok && finalPhase === "started") {
    const how = await readHowItMoved(pool, observers, input, historyBefore, finalStatus, scoped);
    return ok({
      argv,
      startedAfterMs: startedAfterMs ?? durationMs,
      durationMs,
      leftoverConstraint,
      how,
    });
  }
  const failedActions = (finalStatus?.failedActions ?? []).filter(
    (action) => action.resource === input.vm && Date.parse(action.at) >= began - 5_000,
  );
  const reasons = failedActions.map(
    (action) =>
      `${action.operation} failed on ${action.node}${action.exitReason ? ` (${action.exitReason})` : ""}`,
  );
  const pcsError = ran.ok ? null : explainPcsFailure(ran, runner.id);
  const where = resource?.nodes.length
    ? `it is ${resource.role} on ${resource.nodes.join(", ")}`
    : "it runs nowhere";
  const message = [
    `Moving ${input.vm} to ${input.target} failed`,
    pcsError ? `: ${pcsError.message}` : ".",
    reasons.length ? ` Pacemaker: ${reasons.join("; ")}.` : "",
    ` Now ${where}.`,
  ].join("");
  return err({
    error: new AppError("COMMAND_FAILED", message, {
      node: runner.id,
      command: argv,
      stderr: pcsError?.context.stderr,
    }),
    failedActions,
    leftoverConstraint,
    runningOn: resource?.nodes ?? [],
  });
}

function domstateReasonArgv(vm: string): string[] {
  return ["virsh", "--connect", "qemu:///system", "domstate", "--reason", "--domain", vm];
}

/** Asks Pacemaker's record (and the target's libvirt) whether the move was live. */
async function readHowItMoved(
  pool: SshPool,
  observers: readonly NodeTarget[],
  input: MoveResourceInput,
  before: Result<OperationRecord[]>,
  status: ClusterStatus | null,
  context: CommandContext,
): Promise<MoveHow> {
  const after = await readOperationHistory(pool, observers, context);
  return howItMoved(
    pool,
    observers,
    input,
    operationsOfSince(before, after, input.vm),
    status?.failedActions ?? [],
    context,
  );
}

/**
 * The operations of `resource` between two reads of the history, or the first read's failure.
 */
export function operationsOfSince(
  before: Result<OperationRecord[]>,
  after: Result<OperationRecord[]>,
  resource: string,
): Result<OperationRecord[]> {
  if (!before.ok) return before;
  if (!after.ok) return after;
  return ok(operationsSince(before.value, after.value, resource));
}

/**
 * Whether a move (or a node's drain) took `input.vm` to `input.target` live: Pacemaker's
 * operations of it since the request (`since`) and the target's libvirt, judged by
 * judgeMoveOutcome.
 */
export async function howItMoved(
  pool: SshPool,
  observers: readonly NodeTarget[],
  input: Pick<MoveResourceInput, "vm" | "source" | "target">,
  since: Result<OperationRecord[]>,
  failedActions: readonly FailedAction[],
  context: CommandContext,
): Promise<MoveHow> {
  if (!since.ok) {
    return {
      how: "restarted",
      reason: `Pacemaker's history could not be read: ${since.error.message}`,
    };
  }
  const target = observers.find((node) => node.id === input.target);
  const domstate = target
    ? await pool.run(target, domstateReasonArgv(input.vm), { ...context, timeoutMs: 10_000 })
    : null;
  return judgeMoveOutcome({
    operations: since.value,
    failedActions,
    source: input.source,
    target: input.target,
    targetDomstate: domstate?.ok ? domstate.value.stdout.trim() : null,
  });
}
