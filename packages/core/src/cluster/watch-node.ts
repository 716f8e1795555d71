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
  /** [path, size, mtime in ns] of each file asked for; null size and mtime: missing. */
  files: z.array(z.tuple([z.string(), z.number().nullable(), z.number().nullable()])),
});
export type NodeWatch = z.infer<typeof nodeWatchSchema>;

/**
 * libvirt's autostart links for the system instance: the directory's mtime moves when a
 * domain's autostart is set or cleared, which changes no domain's state.
 */
export const LIBVIRT_AUTOSTART_DIR = "/etc/libvirt/qemu/autostart";

/**
 * Waits on the node (long poll, `corral-agent watch`) until its cluster or domain state, or one
 * of the given files, differs from `since`, or `maxWaitS` passed. The node polls its local state every 0.5 s; the server
 * hears only of changes, one small answer per change per node.
 */
export function watchNode(
  pool: SshPool,
  node: NodeTarget,
  since: string | null,
  maxWaitS: number,
  options: RunAgentOptions & {
    /** Files whose removal or change ends the wait too (the resources' config files). */
    files?: readonly string[];
  } = {},
): Promise<Result<NodeWatch>> {
  const { files = [], ...rest } = options;
  const args = [...(since ? ["--since", since] : []), "--max-wait", String(maxWaitS), "--files"];
  return runAgent(pool, node, "watch", args, nodeWatchSchema, {
    ...rest,
    stdin: files.map((path) => `${path}\n`).join(""),
    timeoutMs: (maxWaitS + 30) * 1000,
  });
}
