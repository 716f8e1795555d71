import type { Inventory } from "../cluster/inventory.types.ts";
import { allowedNodesOf } from "../inventory/parse-location-constraints.ts";
import type { OperationRecord } from "../inventory/parse-operation-history.ts";
import { err, ok, type Result } from "../result.ts";
import type { NodeTarget } from "../ssh/node-target.ts";
import type { CommandContext, SshPool } from "../ssh/ssh-pool.ts";
import {
  howItMoved,
  isTransitional,
  moveResourceArgv,
  operationsOfSince,
  startedOn,
} from "./move-resource.ts";
import { explainPcsFailure } from "./pcs-failure.ts";
import { readStatusAndHistoryFromAny } from "./read-cluster-status.ts";
import { runResourceAction } from "./resource-actions.ts";

/**
 * Where a VM of a drained node went and how, by Pacemaker's record: live (migrate_to then
 * migrate_from, the target's libvirt says migrated), restarted (stopped and started elsewhere:
 * the guest rebooted), stopped (runs nowhere), stayed (still on the node, say unmanaged), or
 * moving (Pacemaker was still moving it when the drain ended), or held (stopped as the operator
 * chose, disabled until Bring back starts it).
 */
export interface EvacuatedVm {
  resource: string;
  /** Where Pacemaker runs it now; null when it runs nowhere. */
  to: string | null;
  how: "live" | "restarted" | "stopped" | "held" | "stayed" | "moving";
  /** Why it was not live, in the record's words; null when live or stopped. */
  reason: string | null;
}

/** What a drain of `node` left, from the cluster's own record once pcs returned. */
export interface EvacuationOutcome {
  vms: EvacuatedVm[];
  /** The domains the node's own libvirt still runs; null when it could not be asked. */
  stillRunning: string[] | null;
  /** Nothing runs on the node by its own libvirt, and Pacemaker moves nothing: reboot away. */
  safeToReboot: boolean;
}

/**
 * Reads what a standby of `node` did with the resources that ran there: one crm_mon for where
 * each runs and for the operation history since `before` (read when the standby was asked), how
 * it got there; the node's own `virsh list` for what is left on it.
 */
export async function readEvacuationOutcome(
  pool: SshPool,
  nodes: readonly NodeTarget[],
  input: {
    node: string;
    resources: readonly string[];
    /** Those the drain disabled as the operator chose. */
    held?: readonly string[];
    /** Those the drain stopped and started elsewhere as the operator chose. */
    restarted?: readonly string[];
  },
  before: Result<OperationRecord[]>,
  context: CommandContext = {},
): Promise<Result<EvacuationOutcome>> {
  const read = await readStatusAndHistoryFromAny(pool, nodes, context);
  if (!read.ok) return read;
  const { status, history } = read.value;
  const vms: EvacuatedVm[] = [];
  for (const resource of input.resources) {
    const now = status.resources.find((candidate) => candidate.id === resource) ?? null;
    if (isTransitional(now)) {
      vms.push({
        resource,
        to: null,
        how: "moving",
        reason: `Pacemaker still had it ${now?.role} on ${now?.nodes.join(", ")}`,
      });
      continue;
    }
    const to = startedOn(now);
    if (to === null && input.held?.includes(resource)) {
      vms.push({ resource, to, how: "held", reason: null });
      continue;
    }
    if (to === null || to === input.node) {
      const stayed = now?.nodes.includes(input.node) ?? false;
      vms.push({
        resource,
        to: stayed ? input.node : null,
        how: stayed ? "stayed" : "stopped",
        reason: stayed ? `Pacemaker still has it ${now?.role} on ${input.node}` : null,
      });
      continue;
    }
    const how = await howItMoved(
      pool,
      nodes,
      { vm: resource, source: input.node, target: to },
      operationsOfSince(before, ok(history), resource),
      status.failedActions,
      context,
    );
    const chosen = how.how === "restarted" && input.restarted?.includes(resource);
    vms.push({
      resource,
      to,
      how: how.how,
      reason: chosen ? "as chosen" : how.how === "restarted" ? how.reason : null,
    });
  }
  const node = nodes.find((candidate) => candidate.id === input.node);
  const stillRunning = node ? await domainsRunningOn(pool, node, context) : null;
  const moving = status.resources.some((resource) => isTransitional(resource));
  return ok({
    vms,
    stillRunning,
    safeToReboot: stillRunning !== null && stillRunning.length === 0 && !moving,
  });
}

/**
 * Stops `vm` and starts it on `target`, whatever its allow-migrate (with it, any move of a
 * running VM is live): disabled, pinned to the target by a kept move constraint, enabled. pcs
 * waits at each step, so once this answers the VM runs on the target or the error says where
 * it stopped; when the pin could not be written it is enabled again where Pacemaker places it.
 */
export async function restartElsewhere(
  pool: SshPool,
  runner: NodeTarget,
  input: { vm: string; target: string },
  context: CommandContext = {},
): Promise<Result<void>> {
  const stopped = await runResourceAction(pool, runner, "disable", { vm: input.vm }, context);
  if (!stopped.ok) return stopped;
  const pinned = await pool.run(runner, moveResourceArgv(input.vm, input.target, "keep"), {
    ...context,
    vm: input.vm,
    timeoutMs: 210_000,
  });
  const started = await runResourceAction(pool, runner, "enable", { vm: input.vm }, context);
  if (!pinned.ok) return err(explainPcsFailure(pinned, runner.id));
  return started.ok ? ok(undefined) : started;
}

/** The domains `node`'s own libvirt runs (or has paused); null when it could not be asked. */
export async function domainsRunningOn(
  pool: SshPool,
  node: NodeTarget,
  context: CommandContext = {},
): Promise<string[] | null> {
  const listed = await pool.run(node, ["virsh", "--connect", "qemu:///system", "list", "--name"], {
    ...context,
    timeoutMs: 15_000,
  });
  return listed.ok
    ? listed.value.stdout
        .split("\n")
        .map((line) => line.trim())
        .filter(Boolean)
    : null;
}

/** The resources Pacemaker runs on `node`, by the inventory. */
export function resourcesOn(inventory: Pick<Inventory, "vms">, node: string): string[] {
  return inventory.vms.flatMap((vm) => (vm.resource?.nodes.includes(node) ? [vm.resource.id] : []));
}

/** A VM to bring back to the node it was evacuated from. */
export interface ReturnHomeMove {
  resource: string;
  /** The libvirt domain it runs (where it runs is asked of every node's libvirt by this name). */
  domain: string;
  /** Where it runs now. */
  from: string;
  /** allow-migrate: back live; otherwise stopped there and started at home. */
  live: boolean;
}

/** A held VM to start again (`pcs resource enable`), then move home if it started elsewhere. */
export type ReturnHomeStart = Omit<ReturnHomeMove, "from">;

/**
 * Which of an evacuation's VMs to move back to `node`, from the live inventory: those that
 * Pacemaker runs on one other node and that may run at home again, and the held ones still
 * stopped, to start. A VM already home, stopped by the standby (Pacemaker starts it where it may
 * once the node is back), no longer allowed or banned there is left, with why. Nothing moves
 * while the node is not online.
 */
export function returnHomeMoves(
  evacuation: {
    node: string;
    vms: readonly (Pick<EvacuatedVm, "resource" | "to"> & Partial<Pick<EvacuatedVm, "how">>)[];
  },
  inventory: Pick<Inventory, "nodes" | "vms">,
): {
  moves: ReturnHomeMove[];
  starts: ReturnHomeStart[];
  left: { resource: string; reason: string }[];
  blocked: string | null;
} {
  const home = inventory.nodes.find((node) => node.name === evacuation.node);
  if (home?.state !== "online") {
    return {
      moves: [],
      starts: [],
      left: [],
      blocked: `${evacuation.node} is ${home?.state ?? "not in the cluster"}: take it back (unstandby) first.`,
    };
  }
  const moves: ReturnHomeMove[] = [];
  const starts: ReturnHomeStart[] = [];
  const left: { resource: string; reason: string }[] = [];
  for (const evacuated of evacuation.vms) {
    const vm = inventory.vms.find((candidate) => candidate.resource?.id === evacuated.resource);
    const held = evacuated.how === "held" && vm?.resource?.role === "Stopped";
    if (held && vm?.resource) {
      starts.push({
        resource: evacuated.resource,
        domain: vm.name,
        live: vm.resource.allowMigrate === true,
      });
      continue;
    }
    if (evacuated.how !== "held" && (evacuated.to === null || evacuated.to === evacuation.node))
      continue;
    const resource = vm?.resource;
    const allowed = resource ? allowedNodesOf(resource.constraints) : null;
    const banned = resource?.constraints.some(
      (constraint) => constraint.node === evacuation.node && constraint.score === "-INFINITY",
    );
    const reason = !resource
      ? "no longer a resource"
      : resource.role !== "Started" || resource.nodes.length !== 1
        ? `it is ${resource.role}${resource.nodes.length ? ` on ${resource.nodes.join(", ")}` : ""}`
        : resource.nodes[0] === evacuation.node
          ? "already home"
          : allowed && !allowed.includes(evacuation.node)
            ? `${evacuation.node} is no longer an allowed node`
            : banned
              ? `banned from ${evacuation.node}`
              : resource.allowMigrate === null
                ? "its allow-migrate is not read yet (live or not): try again in a moment"
                : null;
    if (reason !== null || !vm || !resource) {
      left.push({ resource: evacuated.resource, reason: reason ?? "no longer a resource" });
      continue;
    }
    moves.push({
      resource: evacuated.resource,
      domain: vm.name,
      from: resource.nodes[0] ?? "",
      live: resource.allowMigrate === true,
    });
  }
  return { moves, starts, left, blocked: null };
}
