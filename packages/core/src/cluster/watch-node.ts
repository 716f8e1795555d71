import { z } from "zod";
import { type RunAgentOptions, runAgent } from "../agent/run-agent.ts";
import type { Result } from "../result.ts";
import type { NodeTarget } from "../ssh/node-target.ts";
import type { SshPool } from "../ssh/ssh-pool.ts";

export const nodeWatchSchema = z.object({
  token: z.string(),
  changed: z.boolean(),
  pacemaker: z.object({
    up: z.boolean(),
    error: z.string().nullable(),
    /** admin_epoch, epoch, num_updates of the CIB: any cluster change bumps one of them. */
    cib: z.array(z.string().nullable()).nullable(),
  }),
  libvirt: z.object({
    up: z.boolean(),
    error: z.string().nullable(),
    /** [name, state] per domain. */
    domains: z.array(z.tuple([z.string(), z.string()])).nullable(),
  }),
});
export type NodeWatch = z.infer<typeof nodeWatchSchema>;

/**
 * Waits on the node (long poll, `corral-agent watch`) until its cluster or domain state differs
 * from `since`, or `maxWaitS` passed. The node polls its local state every 0.5 s; the server
 * hears only of changes, one small answer per change per node.
 */
export function watchNode(
  pool: SshPool,
  node: NodeTarget,
  since: string | null,
  maxWaitS: number,
  options: RunAgentOptions = {},
): Promise<Result<NodeWatch>> {
  const args = [...(since ? ["--since", since] : []), "--max-wait", String(maxWaitS)];
  return runAgent(pool, node, "watch", args, nodeWatchSchema, {
    ...options,
    timeoutMs: (maxWaitS + 30) * 1000,
  });
}
