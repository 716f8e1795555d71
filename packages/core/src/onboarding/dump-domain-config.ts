import { agentArgv } from "../agent/agent-layout.ts";
import { type RunAgentOptions, runAgent } from "../agent/run-agent.ts";
import type { Result } from "../result.ts";
import type { NodeTarget } from "../ssh/node-target.ts";
import type { SshPool } from "../ssh/ssh-pool.ts";
import { type DumpedConfig, dumpedConfigSchema } from "./onboarding-agent-protocol.ts";

export interface DumpDomainConfigInput {
  domain: string;
  path: string;
}

/** What the step runs, for the wizard to show before it runs it. */
export function dumpDomainConfigArgv(input: DumpDomainConfigInput, options: RunAgentOptions = {}) {
  return agentArgv("dump-config", [input.domain, input.path], options);
}

/**
 * `virsh dumpxml DOMAIN` written atomically to the path on the node that defines the domain;
 * the agent refuses paths under libvirt's own directories.
 */
export function dumpDomainConfig(
  pool: SshPool,
  node: NodeTarget,
  input: DumpDomainConfigInput,
  options: RunAgentOptions = {},
): Promise<Result<DumpedConfig>> {
  return runAgent(pool, node, "dump-config", [input.domain, input.path], dumpedConfigSchema, {
    ...options,
    vm: options.vm ?? input.domain,
  });
}
