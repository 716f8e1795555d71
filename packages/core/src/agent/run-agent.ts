import type { z } from "zod";
import { AppError, type ErrorCode } from "../errors.ts";
import { err, ok, type Result } from "../result.ts";
import type { NodeTarget } from "../ssh/node-target.ts";
import type { CommandContext, RunOptions, SshPool } from "../ssh/ssh-pool.ts";
import { type AgentLocation, agentArgv } from "./agent-layout.ts";
import { agentFailureSchema } from "./agent-protocol.ts";

/** How the agent's own error codes read to the rest of Corral. */
const AGENT_ERROR_CODES: Record<string, ErrorCode> = {
  TOOL_MISSING: "NOT_PACEMAKER_NODE",
  TOOL_FAILED: "COMMAND_FAILED",
  PARSE_ERROR: "PARSE_ERROR",
  NOT_FOUND: "NOT_FOUND",
  REFUSED: "INVALID_INPUT",
  VM_BUSY: "VM_BUSY",
};

export interface RunAgentOptions
  extends CommandContext,
    AgentLocation,
    Pick<RunOptions, "timeoutMs" | "stdin" | "signal"> {}

/** Runs one agent command and validates its JSON answer against the command's schema. */
export async function runAgent<T>(
  pool: SshPool,
  node: NodeTarget,
  command: string,
  args: readonly string[],
  schema: z.ZodType<T>,
  options: RunAgentOptions = {},
): Promise<Result<T>> {
  const argv = agentArgv(command, args, options);
  const run = await pool.run(node, argv, { ...options, okExitCodes: [0, 2] });
  if (!run.ok) return run;
  const context = {
    node: node.id,
    command: argv,
    exitCode: run.value.exitCode,
    stderr: run.value.stderr,
  };
  let answer: unknown;
  try {
    answer = JSON.parse(run.value.stdout);
  } catch {
    return err(
      new AppError(
        "PARSE_ERROR",
        `corral-agent ${command} on ${node.id} did not answer in JSON: ${run.value.stdout.slice(0, 200) || run.value.stderr.slice(0, 200)}`,
        context,
      ),
    );
  }
  const failure = agentFailureSchema.safeParse(answer);
  if (failure.success) {
    const { code, message } = failure.data.error;
    return err(
      new AppError(AGENT_ERROR_CODES[code] ?? "INTERNAL", `${node.id}: ${message}`, context),
    );
  }
  const parsed = schema.safeParse(answer);
  if (!parsed.success) {
    return err(
      new AppError(
        "PARSE_ERROR",
        `corral-agent ${command} on ${node.id} answered in an unexpected shape: ${parsed.error.issues
          .slice(0, 3)
          .map((issue) => `${issue.path.join(".")}: ${issue.message}`)
          .join("; ")}`,
        context,
      ),
    );
  }
  return ok(parsed.data);
}
