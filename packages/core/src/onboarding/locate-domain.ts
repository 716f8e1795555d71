import type { Domain } from "../agent/agent-protocol.ts";
import { listNodeDomains } from "../agent/list-node-domains.ts";
import type { RunAgentOptions } from "../agent/run-agent.ts";
import { AppError } from "../errors.ts";
import { err, ok, type Result } from "../result.ts";
import type { NodeTarget } from "../ssh/node-target.ts";
import { runOnNodes } from "../ssh/run-on-nodes.ts";
import type { SshPool } from "../ssh/ssh-pool.ts";

/** States in which a domain occupies its disks: anything but "shut off" (and absent). */
export function isDomainActive(domain: Pick<Domain, "state">): boolean {
  return domain.state !== "shut off";
}

export interface DomainSighting {
  node: string;
  domain: Domain;
}

/**
 * Every node's view of a domain, matched by name or UUID. A node that cannot answer is an error:
 * "runs nowhere" must never be concluded from a node we could not ask.
 */
export async function locateDomain(
  pool: SshPool,
  nodes: readonly NodeTarget[],
  match: { name: string; uuid?: string | null },
  options: RunAgentOptions = {},
): Promise<Result<DomainSighting[]>> {
  const answers = await runOnNodes(nodes, (node) => listNodeDomains(pool, node, options));
  const sightings: DomainSighting[] = [];
  for (const { nodeId, result } of answers) {
    if (!result.ok) return err(result.error);
    for (const domain of result.value) {
      if (domain.name === match.name || (match.uuid && domain.uuid === match.uuid)) {
        sightings.push({ node: nodeId, domain });
      }
    }
  }
  return ok(sightings);
}

/** Fails with VM_RUNNING naming the node(s) where the domain is active. */
export async function ensureDomainRunsNowhere(
  pool: SshPool,
  nodes: readonly NodeTarget[],
  match: { name: string; uuid?: string | null },
  options: RunAgentOptions = {},
): Promise<Result<void>> {
  const located = await locateDomain(pool, nodes, match, options);
  if (!located.ok) return located;
  const active = located.value.filter((sighting) => isDomainActive(sighting.domain));
  if (active.length === 0) return ok(undefined);
  const where = active.map((s) => `${s.node} (${s.domain.state})`).join(", ");
  return err(
    new AppError(
      "VM_RUNNING",
      `${match.name} is active on ${where}. Stop it there first; Corral never starts a VM that runs on another node.`,
      { node: active[0]?.node },
    ),
  );
}
