import { z } from "zod";
import { type RunAgentOptions, runAgent } from "../agent/run-agent.ts";
import { ok, type Result } from "../result.ts";
import type { NodeTarget } from "../ssh/node-target.ts";
import type { SshPool } from "../ssh/ssh-pool.ts";

export const fileHashSchema = z.object({
  path: z.string(),
  sha256: z.string().nullable(),
  /** Why the file could not be read there (missing, unreadable). */
  problem: z.string().nullable(),
});
export type FileHash = z.infer<typeof fileHashSchema>;

/**
 * The SHA-256 of every given file on one node, in one command (`corral-agent config-hashes`,
 * the paths on stdin): what the monitor compares across nodes for every VM's config at once.
 */
export async function hashConfigFiles(
  pool: SshPool,
  node: NodeTarget,
  paths: readonly string[],
  options: RunAgentOptions = {},
): Promise<Result<FileHash[]>> {
  const hashed = await runAgent(
    pool,
    node,
    "config-hashes",
    [],
    z.object({ files: z.array(fileHashSchema) }),
    { ...options, stdin: paths.map((path) => `${path}\n`).join("") },
  );
  return hashed.ok ? ok(hashed.value.files) : hashed;
}
