import { type AgentLocation, agentArgv } from "../agent/agent-layout.ts";
import { type RunAgentOptions, runAgent } from "../agent/run-agent.ts";
import type { NodeTarget } from "../ssh/node-target.ts";
import { type NodeResult, runOnNodes } from "../ssh/run-on-nodes.ts";
import type { SshPool } from "../ssh/ssh-pool.ts";
import type { UncheckableStorage } from "./check-storage.ts";
import { type SourceCheck, sourceChecksSchema } from "./onboarding-agent-protocol.ts";

/**
 * What a node can check of storage it reaches without a local path: that a volume's pool is
 * active there and the volume's file or device opens, that a network disk's hosts accept a
 * connection. NVMe devices, vhost-user sockets and hosts without a known port give nothing.
 */
export function storageSourceArgs(storage: UncheckableStorage): string[] {
  if (storage.kind === "volume") return [`volume=${storage.name}`];
  if (storage.kind === "network") {
    return storage.hosts.flatMap((host) => (host.port ? [`host=${host.name}:${host.port}`] : []));
  }
  return [];
}

function sourceArgs(storage: readonly UncheckableStorage[]): string[] {
  return [...new Set(storage.flatMap(storageSourceArgs))];
}

/** The command checkStorageSources runs on each node; none when nothing can be checked. */
export function checkStorageSourcesArgv(
  storage: readonly UncheckableStorage[],
  location: AgentLocation = {},
): string[][] {
  const args = sourceArgs(storage);
  return args.length ? [agentArgv("check-sources", args, location)] : [];
}

export interface StorageSourceProblem {
  node: string;
  /** The agent's argument: volume=POOL/VOLUME or host=NAME:PORT. */
  source: string;
  use: string;
  problem: string;
}

/** Checks every source on every node at once; per node the problems, or why it could not ask. */
export async function checkStorageSources(
  pool: SshPool,
  nodes: readonly NodeTarget[],
  storage: readonly UncheckableStorage[],
  options: RunAgentOptions = {},
): Promise<{ problems: StorageSourceProblem[]; answers: NodeResult<SourceCheck[]>[] }> {
  const uses = storage.flatMap((s) => storageSourceArgs(s).map((arg) => [arg, s.use] as const));
  if (uses.length === 0) {
    return {
      problems: [],
      answers: nodes.map((node) => ({ nodeId: node.id, result: { ok: true, value: [] } })),
    };
  }
  const args = sourceArgs(storage);
  const answers = await runOnNodes(nodes, async (node) => {
    const checked = await runAgent(pool, node, "check-sources", args, sourceChecksSchema, options);
    return checked.ok ? { ok: true as const, value: checked.value.sources } : checked;
  });
  const problems = answers.flatMap(({ nodeId, result }) =>
    result.ok
      ? result.value.flatMap((check) =>
          check.ok
            ? []
            : uses
                .filter(([arg]) => arg === check.source)
                .map(([, use]) => ({
                  node: nodeId,
                  source: check.source,
                  use,
                  problem: check.problem ?? "not usable",
                })),
        )
      : [],
  );
  return { problems, answers };
}
