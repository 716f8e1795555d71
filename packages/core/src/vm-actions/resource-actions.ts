import { AppError } from "../errors.ts";
import { err, type Result } from "../result.ts";
import type { NodeTarget } from "../ssh/node-target.ts";
import type { CommandContext, CommandOutput, SshPool } from "../ssh/ssh-pool.ts";
import { explainPcsFailure } from "./pcs-failure.ts";

/**
 * The actions on a VM resource and on a node that are one pcs command each. They differ only in
 * their argv, so one table holds them: the UI shows `resourceActionArgv` in the confirmation and
 * `runResourceAction` runs exactly that argv. `--wait` makes pcs return when the cluster has
 * settled, so the result and its duration mean the action is done.
 */
export const RESOURCE_ACTIONS = [
  "enable",
  "disable",
  "restart",
  "cleanup",
  "clear",
  "manage",
  "unmanage",
  "standby",
  "unstandby",
  "maintenance-on",
  "maintenance-off",
  "cleanup-all",
] as const;
export type ResourceAction = (typeof RESOURCE_ACTIONS)[number];

/** Seconds pcs waits for the cluster to settle; the SSH timeout allows a little more. */
const WAIT_S = 180;

export interface ResourceActionTarget {
  /** The resource (VM) for resource actions. */
  vm?: string;
  /** The node for standby/unstandby. */
  node?: string;
}

export function resourceActionArgv(action: ResourceAction, target: ResourceActionTarget): string[] {
  const wait = `--wait=${WAIT_S}`;
  if (action === "standby" || action === "unstandby") {
    if (!target.node) throw new AppError("INVALID_INPUT", `${action} needs a node.`);
    return ["pcs", "node", action, target.node, wait];
  }
  // The cluster's own switches: maintenance mode (Pacemaker then starts, stops and monitors
  // nothing) and a cleanup of every resource's failures.
  if (action === "maintenance-on" || action === "maintenance-off") {
    return ["pcs", "property", "set", `maintenance-mode=${action === "maintenance-on"}`];
  }
  if (action === "cleanup-all") return ["pcs", "resource", "cleanup"];
  if (!target.vm) throw new AppError("INVALID_INPUT", `${action} needs a VM.`);
  switch (action) {
    case "enable":
    case "disable":
    case "restart":
      return ["pcs", "resource", action, target.vm, wait];
    case "cleanup":
      return ["pcs", "resource", "cleanup", target.vm];
    case "manage":
    case "unmanage":
      // Unmanaged, Pacemaker leaves the VM where and as it is (no start, stop or recovery).
      return ["pcs", "resource", action, target.vm];
    case "clear":
      // Removes every cli-prefer-/cli-ban- constraint of the VM that move/ban left behind.
      return ["pcs", "resource", "clear", target.vm];
  }
}

/** Runs the action on `node` (any online node of the cluster can run pcs). */
export async function runResourceAction(
  pool: SshPool,
  node: NodeTarget,
  action: ResourceAction,
  target: ResourceActionTarget,
  context: CommandContext = {},
): Promise<Result<CommandOutput>> {
  let argv: string[];
  try {
    argv = resourceActionArgv(action, target);
  } catch (error) {
    return err(error as AppError);
  }
  const run = await pool.run(node, argv, {
    ...context,
    vm: target.vm ?? null,
    timeoutMs: (WAIT_S + 30) * 1000,
  });
  return run.ok ? run : err(explainPcsFailure(run, node.id));
}
