import type { RunAgentOptions } from "../agent/run-agent.ts";
import { AppError } from "../errors.ts";
import {
  checkStorage,
  type DomainStorage,
  listDomainStorage,
  type StorageReport,
  type UncheckableStorage,
} from "../onboarding/check-storage.ts";
import { checkStorageSources } from "../onboarding/check-storage-sources.ts";
import type { NodeTarget } from "../ssh/node-target.ts";
import { firstAnswer, preferring } from "../ssh/run-on-nodes.ts";
import type { SshPool } from "../ssh/ssh-pool.ts";
import { readConfigArgv } from "./resync-config.ts";

export interface VmStorageCheck {
  /** The node whose copy of the config listed the paths; null when no node could. */
  readFrom: string | null;
  /** Why the paths are unknown (no node could read the config, or it is not a domain XML). */
  problem: string | null;
  /** Every path checked on every node; null when the paths are unknown. */
  report: StorageReport | null;
  /** Network, volume, NVMe and vhost-user storage no path check can vouch for. */
  uncheckable: UncheckableStorage[];
}

/**
 * Whether each node has the storage the VM needs: the paths come from the domain XML the
 * resource starts from, read where the VM runs (its copy is the one that works) or else on the
 * first other node that answers, and every node checks them at once. A node that fails to answer
 * is a per-node answer in the report, never a throw.
 */
export async function checkVmStorage(
  pool: SshPool,
  nodes: readonly NodeTarget[],
  input: { configPath: string; runningOn: readonly string[] },
  options: RunAgentOptions = {},
): Promise<VmStorageCheck> {
  const read = await firstAnswer(preferring(nodes, input.runningOn), (node) =>
    pool.run(node, readConfigArgv(input.configPath), options),
  );
  if (!read.node) {
    return {
      readFrom: null,
      problem:
        read.failures.length > 0
          ? `${input.configPath} could not be read: ${read.failures.map((f) => f.message).join("; ")}`
          : "no online node to read the config from",
      report: null,
      uncheckable: [],
    };
  }
  const node = read.node;
  let storage: DomainStorage;
  try {
    storage = listDomainStorage(read.value.stdout);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return {
      readFrom: node.id,
      problem: `${input.configPath} on ${node.id}: ${error.message}`,
      report: null,
      uncheckable: [],
    };
  }
  const [report, sources] = await Promise.all([
    checkStorage(pool, nodes, storage.paths, options),
    checkStorageSources(pool, nodes, storage.uncheckable, options),
  ]);
  // A pool inactive or a host silent on a node counts there as a missing path would.
  const sourceProblems = sources.problems.map((p) => ({ ...p, path: p.source }));
  return {
    readFrom: node.id,
    problem: null,
    report: {
      ...report,
      problems: [...report.problems, ...sourceProblems],
      readyNodes: report.readyNodes.filter((n) => !sourceProblems.some((p) => p.node === n)),
    },
    uncheckable: storage.uncheckable,
  };
}
