import type { RunAgentOptions } from "../agent/run-agent.ts";
import { ok, type Result } from "../result.ts";
import type { NodeTarget } from "../ssh/node-target.ts";
import type { SshPool } from "../ssh/ssh-pool.ts";

/**
 * The host name VirtualDomain migrates to: the suffix goes before the first dot of the node
 * name (node1.example.com + -mig = node1-mig.example.com), after it when there is no dot.
 */
export function composeMigrationHost(nodeName: string, suffix: string): string {
  const dot = nodeName.indexOf(".");
  return dot === -1
    ? `${nodeName}${suffix}`
    : `${nodeName.slice(0, dot)}${suffix}${nodeName.slice(dot)}`;
}

/** BatchMode: a prompt for a password or an unknown host key fails instead of waiting. */
export function sshProbeArgv(host: string): string[] {
  return [
    "ssh",
    "-o",
    "BatchMode=yes",
    "-o",
    "ConnectTimeout=5",
    "-o",
    "StrictHostKeyChecking=yes",
    "-l",
    "root",
    host,
    "true",
  ];
}

export interface MigrationProbe {
  from: string;
  to: string;
  /** The name migration uses: the node name, or the composed name with the suffix. */
  host: string;
  resolved: string | null;
  ok: boolean;
  problem: string | null;
}

function migrationHost(nodeName: string, suffix: string | null): string {
  return suffix ? composeMigrationHost(nodeName, suffix) : nodeName;
}

export function migrationReadinessArgv(
  from: string,
  nodeNames: readonly string[],
  suffix: string | null,
): string[][] {
  return nodeNames
    .filter((name) => name !== from)
    .flatMap((name) => {
      const host = migrationHost(name, suffix);
      return [["getent", "hosts", host], sshProbeArgv(host)];
    });
}

/**
 * From each node to each other node by node name (or the composed migration host): the name
 * resolves there and root ssh works without a prompt, as libvirt's qemu+ssh migration needs.
 */
export async function checkMigrationReadiness(
  pool: SshPool,
  nodes: readonly NodeTarget[],
  input: { suffix: string | null },
  options: RunAgentOptions = {},
): Promise<Result<MigrationProbe[]>> {
  const pairs = nodes.flatMap((from) =>
    nodes.filter((to) => to.id !== from.id).map((to) => ({ from, to })),
  );
  // Every pair at once: each probe waits on a network round trip, not on the node's CPU.
  const answers = await Promise.all(
    pairs.map(({ from, to }) =>
      probePair(pool, from, migrationHost(to.id, input.suffix), to.id, options),
    ),
  );
  const probes: MigrationProbe[] = [];
  for (const result of answers) {
    if (!result.ok) return result;
    probes.push(result.value);
  }
  return ok(probes);
}

async function probePair(
  pool: SshPool,
  from: NodeTarget,
  host: string,
  to: string,
  options: RunAgentOptions,
): Promise<Result<MigrationProbe>> {
  const resolved = await pool.run(from, ["getent", "hosts", host], {
    ...options,
    okExitCodes: "any",
  });
  if (!resolved.ok) return resolved;
  const address =
    resolved.value.exitCode === 0 ? (resolved.value.stdout.trim().split(/\s+/)[0] ?? null) : null;
  if (!address) {
    return ok({
      from: from.id,
      to,
      host,
      resolved: null,
      ok: false,
      problem: `${host} does not resolve on ${from.id} (add it to DNS or /etc/hosts)`,
    });
  }
  const probe = await pool.run(from, sshProbeArgv(host), {
    ...options,
    okExitCodes: "any",
    timeoutMs: 15_000,
  });
  if (!probe.ok) return probe;
  const failed = probe.value.exitCode !== 0;
  return ok({
    from: from.id,
    to,
    host,
    resolved: address,
    ok: !failed,
    problem: failed
      ? `root ssh from ${from.id} to ${host} failed without a prompt: ${probe.value.stderr.trim().split("\n").at(-1) || `exit ${probe.value.exitCode}`} (install root's key and the host key in known_hosts)`
      : null,
  });
}
