import { AppError } from "../errors.ts";
import { type ClusterStatus, crmMonError, parseCrmMon } from "../inventory/parse-crm-mon.ts";
import {
  type LocationConstraint,
  parseLocationConstraints,
} from "../inventory/parse-location-constraints.ts";
import {
  type OperationRecord,
  parseOperationHistory,
} from "../inventory/parse-operation-history.ts";
import { err, ok, type Result } from "../result.ts";
import type { NodeTarget } from "../ssh/node-target.ts";
import { firstAnswer } from "../ssh/run-on-nodes.ts";
import type { CommandContext, SshPool } from "../ssh/ssh-pool.ts";
import { crmMonTimeoutMs, recordCrmMonRun } from "./crm-mon-budget.ts";

const CRM_MON_ARGV = ["crm_mon", "--one-shot", "--output-as=xml"] as const;
const CONSTRAINTS_ARGV = ["cibadmin", "--query", "--scope", "constraints"] as const;

/** Pacemaker's view of the cluster from one node (`crm_mon` as XML). */
export function readClusterStatus(
  pool: SshPool,
  node: NodeTarget,
  context: CommandContext = {},
): Promise<Result<ClusterStatus>> {
  return readCrmMon(pool, node, parseCrmMon, context);
}

/** The status from the first of `nodes` that answers (see firstAnswer). */
export function readClusterStatusFromAny(
  pool: SshPool,
  nodes: readonly NodeTarget[],
  context: CommandContext = {},
): Promise<Result<ClusterStatus>> {
  return readCrmMonFromAny(pool, nodes, parseCrmMon, context);
}

/** Pacemaker's operation history of every resource, from the first of `nodes` that answers. */
export function readOperationHistory(
  pool: SshPool,
  nodes: readonly NodeTarget[],
  context: CommandContext = {},
): Promise<Result<OperationRecord[]>> {
  return readCrmMonFromAny(pool, nodes, parseOperationHistory, context);
}

/** Status and operation history from one `crm_mon` run on the first of `nodes` that answers. */
export function readStatusAndHistoryFromAny(
  pool: SshPool,
  nodes: readonly NodeTarget[],
  context: CommandContext = {},
): Promise<Result<{ status: ClusterStatus; history: OperationRecord[] }>> {
  return readCrmMonFromAny(
    pool,
    nodes,
    (xml) => ({ status: parseCrmMon(xml), history: parseOperationHistory(xml) }),
    context,
  );
}

/**
 * crm_mon reports its own failures (pacemaker stopped there: exit 102) as an XML document on
 * stdout, so any exit code is read: the operator gets crm_mon's words, not a bare exit code.
 */
async function readCrmMon<T>(
  pool: SshPool,
  node: NodeTarget,
  parse: (xml: string) => T,
  context: CommandContext,
): Promise<Result<T>> {
  const started = performance.now();
  const run = await pool.run(node, CRM_MON_ARGV, {
    ...context,
    timeoutMs: crmMonTimeoutMs(context.clusterId),
    okExitCodes: "any",
  });
  // A node that failed otherwise (unreachable, say) says nothing of how long crm_mon takes.
  const timedOut = !run.ok && run.error.code === "COMMAND_TIMEOUT";
  if (run.ok || timedOut) {
    recordCrmMonRun(context.clusterId, { ms: performance.now() - started, timedOut });
  }
  if (!run.ok) return run;
  const { exitCode, stdout, stderr } = run.value;
  if (exitCode !== 0) {
    let reported: AppError | null = null;
    try {
      reported = crmMonError(stdout);
    } catch {
      // Not crm_mon's XML (empty, cut short): the exit code and stderr say what there is.
    }
    const why =
      reported?.message ??
      `crm_mon exited with code ${exitCode}${stderr.trim() ? `: ${stderr.trim().split("\n")[0]}` : "."}`;
    return err(
      new AppError("COMMAND_FAILED", `${node.id}: ${why}`, {
        node: node.id,
        command: CRM_MON_ARGV,
        exitCode,
        stderr,
      }),
    );
  }
  return parsed(() => parse(stdout), node, CRM_MON_ARGV);
}

async function readCrmMonFromAny<T>(
  pool: SshPool,
  nodes: readonly NodeTarget[],
  parse: (xml: string) => T,
  context: CommandContext,
): Promise<Result<T>> {
  const answer = await firstAnswer(nodes, (node) => readCrmMon(pool, node, parse, context));
  if (answer.node) return ok(answer.value);
  return err(
    answer.failures.at(-1) ??
      new AppError("INVALID_INPUT", "No node to ask for the cluster status."),
  );
}

/** The location constraints of the CIB, including leftovers of `pcs resource move` and `ban`. */
export async function readLocationConstraints(
  pool: SshPool,
  node: NodeTarget,
  context: CommandContext = {},
): Promise<Result<LocationConstraint[]>> {
  const run = await pool.run(node, CONSTRAINTS_ARGV, { ...context, timeoutMs: 15_000 });
  if (!run.ok) return run;
  return parsed(() => parseLocationConstraints(run.value.stdout), node, CONSTRAINTS_ARGV);
}

function parsed<T>(parse: () => T, node: NodeTarget, command: readonly string[]): Result<T> {
  try {
    return ok(parse());
  } catch (error) {
    if (error instanceof AppError) {
      return err(
        new AppError(error.code, `${node.id}: ${error.message}`, { node: node.id, command }),
      );
    }
    throw error;
  }
}
