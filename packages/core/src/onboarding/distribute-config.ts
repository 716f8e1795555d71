import { agentArgv } from "../agent/agent-layout.ts";
import { type RunAgentOptions, runAgent } from "../agent/run-agent.ts";
import { AppError } from "../errors.ts";
import { err, ok, type Result } from "../result.ts";
import type { NodeTarget } from "../ssh/node-target.ts";
import { type NodeResult, runOnNodes } from "../ssh/run-on-nodes.ts";
import type { SshPool } from "../ssh/ssh-pool.ts";
import { type FileSummary, fileSummarySchema } from "./onboarding-agent-protocol.ts";

export interface DistributeConfigInput {
  path: string;
  xml: string;
  sha256: string;
}

export function distributeConfigArgv(
  input: Omit<DistributeConfigInput, "xml">,
  options: RunAgentOptions = {},
) {
  return [
    agentArgv("write-config", [input.path, input.sha256], options),
    agentArgv("sha256", [input.path], options),
  ];
}

/**
 * Writes the config to each node (atomically, refused unless the bytes received hash to the
 * expected SHA-256), then reads the hash back from the file on disk. One Result per node: a
 * node lost on the way fails alone, and a retry passes only the nodes that failed.
 */
export function distributeConfig(
  pool: SshPool,
  nodes: readonly NodeTarget[],
  input: DistributeConfigInput,
  options: RunAgentOptions = {},
): Promise<NodeResult<FileSummary>[]> {
  return runOnNodes(nodes, async (node) => {
    const written = await runAgent(
      pool,
      node,
      "write-config",
      [input.path, input.sha256],
      fileSummarySchema,
      { ...options, stdin: input.xml },
    );
    if (!written.ok) return written;
    return verifyConfigHash(pool, node, input, options);
  });
}

/** The file on the node must have exactly the expected content. */
async function verifyConfigHash(
  pool: SshPool,
  node: NodeTarget,
  input: Omit<DistributeConfigInput, "xml">,
  options: RunAgentOptions = {},
): Promise<Result<FileSummary>> {
  const read = await runAgent(pool, node, "sha256", [input.path], fileSummarySchema, options);
  if (!read.ok) return read;
  if (read.value.sha256 !== input.sha256) {
    return err(
      new AppError(
        "COMMAND_FAILED",
        `${input.path} on ${node.id} has SHA-256 ${read.value.sha256}, expected ${input.sha256}: the file changed after it was written. Distribute it again.`,
        { node: node.id, command: agentArgv("sha256", [input.path], options) },
      ),
    );
  }
  return ok(read.value);
}
