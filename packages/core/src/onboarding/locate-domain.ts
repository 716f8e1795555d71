import type { Domain } from "../agent/agent-protocol.ts";
import { listNodeDomains } from "../agent/list-node-domains.ts";
import type { RunAgentOptions } from "../agent/run-agent.ts";
import { AppError } from "../errors.ts";
import { err, ok, type Result } from "../result.ts";
import type { NodeTarget } from "../ssh/node-target.ts";
import { runOnNodes } from "../ssh/run-on-nodes.ts";
import type { CommandContext, SshPool } from "../ssh/ssh-pool.ts";

/** States in which a domain occupies its disks: anything but "shut off" (and absent). */
export function isDomainActive(domain: Pick<Domain, "state">): boolean {
  return domain.state !== "shut off";
}

export interface DomainSighting {
  node: string;
  domain: Domain;
}

/**
 * Every domain on every node. A node that cannot answer, or a domain it could not read, is an
 * error: "runs nowhere" must never be concluded from a node or domain we could not see.
 */
export async function listDomainsEverywhere(
  pool: SshPool,
  nodes: readonly NodeTarget[],
  options: RunAgentOptions = {},
): Promise<Result<DomainSighting[]>> {
  const answers = await runOnNodes(nodes, (node) => listNodeDomains(pool, node, options));
  const sightings: DomainSighting[] = [];
  for (const { nodeId, result } of answers) {
    if (!result.ok) return err(result.error);
    const [unreadable] = result.value.unreadable;
    if (unreadable) {
      return err(
        new AppError(
          "COMMAND_FAILED",
          `${nodeId}: domain ${JSON.stringify(unreadable.name)} could not be read: ${unreadable.message}`,
          { node: nodeId },
        ),
      );
    }
    for (const domain of result.value.domains) sightings.push({ node: nodeId, domain });
  }
  return ok(sightings);
}

export function matchDomain(
  sightings: readonly DomainSighting[],
  match: { name: string; uuid?: string | null },
): DomainSighting[] {
  return sightings.filter(
    ({ domain }) => domain.name === match.name || (match.uuid && domain.uuid === match.uuid),
  );
}

/** Every node's view of a domain, matched by name or UUID. */
export async function locateDomain(
  pool: SshPool,
  nodes: readonly NodeTarget[],
  match: { name: string; uuid?: string | null },
  options: RunAgentOptions = {},
): Promise<Result<DomainSighting[]>> {
  const listed = await listDomainsEverywhere(pool, nodes, options);
  return listed.ok ? ok(matchDomain(listed.value, match)) : listed;
}

/**
 * Fails with VM_RUNNING naming the node(s) where the domain (by name, or by UUID under another
 * name) is active. One `virsh domstate` per node and key, all at once: cheap enough to ask
 * before every start.
 */
export async function ensureDomainRunsNowhere(
  pool: SshPool,
  nodes: readonly NodeTarget[],
  match: { name: string; uuid?: string | null },
  options: CommandContext = {},
): Promise<Result<void>> {
  const keys = [match.name, ...(match.uuid ? [match.uuid] : [])];
  const answers = await runOnNodes(nodes, async (node) => {
    const states: string[] = [];
    for (const key of keys) {
      const state = await pool.run(
        node,
        ["virsh", "-c", "qemu:///system", "domstate", "--domain", key],
        {
          ...options,
          // 1: no such domain on this node.
          okExitCodes: [0, 1],
        },
      );
      if (!state.ok) return state;
      if (state.value.exitCode === 0) states.push(state.value.stdout.trim());
    }
    return ok(states);
  });
  const active: string[] = [];
  for (const { nodeId, result } of answers) {
    if (!result.ok) return err(result.error);
    const states = result.value.filter((state) => isDomainActive({ state }));
    if (states.length) active.push(`${nodeId} (${states[0]})`);
  }
  if (active.length === 0) return ok(undefined);
  return err(
    new AppError(
      "VM_RUNNING",
      `${match.name} is active on ${active.join(", ")}. Stop it there first; Corral never starts a VM that runs on another node.`,
      { node: active[0]?.split(" ")[0] },
    ),
  );
}
