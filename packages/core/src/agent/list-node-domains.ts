import { ok, type Result } from "../result.ts";
import type { NodeTarget } from "../ssh/node-target.ts";
import type { SshPool } from "../ssh/ssh-pool.ts";
import { type Domain, domainListSchema } from "./agent-protocol.ts";
import { type RunAgentOptions, runAgent } from "./run-agent.ts";

/** Every libvirt domain on the node, defined or running, with its disks and boot files. */
export async function listNodeDomains(
  pool: SshPool,
  node: NodeTarget,
  options: RunAgentOptions = {},
): Promise<Result<Domain[]>> {
  const listed = await runAgent(pool, node, "domains", [], domainListSchema, options);
  return listed.ok ? ok(listed.value.domains) : listed;
}
