import type { RunAgentOptions } from "../agent/run-agent.ts";
import { isDomainActive, locateDomain } from "../onboarding/locate-domain.ts";
import type { NodeTarget } from "../ssh/node-target.ts";
import type { SshPool } from "../ssh/ssh-pool.ts";

export interface WhereItRuns {
  /** The nodes whose libvirt has the domain active; null when that could not be read. */
  runningOn: string[] | null;
  /** One sentence for an interrupted operation's record. */
  note: string;
}

/** Where a domain is active now, from every node's libvirt: what recovery tells the operator. */
export async function whereItRuns(
  pool: SshPool,
  nodes: readonly NodeTarget[],
  domain: { name: string; uuid?: string | null },
  options: RunAgentOptions = {},
): Promise<WhereItRuns> {
  const located = await locateDomain(pool, nodes, domain, options);
  if (!located.ok) {
    return {
      runningOn: null,
      note: `Could not check where ${domain.name} runs: ${located.error.message}`,
    };
  }
  const runningOn = located.value.filter((s) => isDomainActive(s.domain)).map((s) => s.node);
  return {
    runningOn,
    note:
      runningOn.length === 0
        ? `${domain.name} runs on no node.`
        : runningOn.length === 1
          ? `${domain.name} runs on ${runningOn[0]} only.`
          : `${domain.name} runs on ${runningOn.join(" and ")}: more than one node (its card shows the alarm and the fix).`,
  };
}
