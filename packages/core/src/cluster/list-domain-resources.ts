import { z } from "zod";
import { type RunAgentOptions, runAgent } from "../agent/run-agent.ts";
import { ok, type Result } from "../result.ts";
import type { NodeTarget } from "../ssh/node-target.ts";
import type { SshPool } from "../ssh/ssh-pool.ts";

export const domainResourceSchema = z.object({
  id: z.string(),
  config: z.string().nullable(),
  /** Its instance attributes that no rule conditions (config, migration_transport, ...). */
  params: z.record(z.string(), z.string()),
  /** The resource-stickiness pacemaker applies (a score: "0", "1", "INFINITY", ...). */
  stickiness: z.string(),
  /** The allow-migrate meta attribute: pacemaker migrates live only when it is true. */
  allowMigrate: z.boolean(),
  /** The is-managed meta attribute as configured: false after `pcs resource unmanage`. */
  managed: z.boolean(),
  /** The domain name in the config file, as this node reads it; null with a problem if not. */
  domain: z.string().nullable(),
  uuid: z.string().nullable(),
  problem: z.string().nullable(),
});
export type DomainResource = z.infer<typeof domainResourceSchema>;

/** The VirtualDomain resources in the CIB and the libvirt domain each one runs. */
export async function listDomainResources(
  pool: SshPool,
  node: NodeTarget,
  options: RunAgentOptions = {},
): Promise<Result<DomainResource[]>> {
  const listed = await runAgent(
    pool,
    node,
    "resources",
    [],
    z.object({ resources: z.array(domainResourceSchema) }),
    options,
  );
  return listed.ok ? ok(listed.value.resources) : listed;
}
