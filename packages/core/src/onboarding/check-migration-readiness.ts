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

/**
 * What the wizard proposes whenever the nodes reach each other: libvirt's system instance over
 * ssh. Without them the agent builds `qemu://NODE/system`, a TLS connection that needs a CA and
 * certificates on every node; Pacemaker then records a failed migrate_to and restarts the VM.
 */
export const LIVE_MIGRATION_PARAMS = {
  hypervisor: "qemu:///system",
  migration_transport: "ssh",
} as const;

/** The agent's default hypervisor: `virsh --quiet uri` on the node, as root. */
const NODE_DEFAULT_HYPERVISOR = "qemu:///system";

/**
 * The remote URI VirtualDomain's migrate_to builds for `targetNode` from its parameters
 * (resource-agents 4.12, `VirtualDomain_migrate_to`): remoteuri with %n, else the hypervisor
 * URI with +transport, the migration network suffix and the migration user put in.
 */
export function migrationRemoteUri(
  params: Readonly<Record<string, string>>,
  targetNode: string,
): string {
  const param = (name: string) => (params[name] ?? "").trim();
  if (param("remoteuri")) return param("remoteuri").replaceAll("%n", targetNode);
  const transport = param("migration_transport") ? `+${param("migration_transport")}` : "";
  let target = param("migration_network_suffix")
    ? composeMigrationHost(targetNode, param("migration_network_suffix"))
    : targetNode;
  if (/^[a-z][-a-z0-9]*$/.test(param("migration_user"))) {
    target = `${param("migration_user")}@${target}`;
  }
  const hypervisor = param("hypervisor") || NODE_DEFAULT_HYPERVISOR;
  const parts = /^(.*):\/\/[^/:]*(:?[0-9]*)\/(.*)$/.exec(hypervisor);
  if (!parts) return hypervisor;
  const [, scheme, port, path] = parts;
  return `${scheme}${transport}://${target}${port}/${path}`;
}

/** Connects to the target's libvirt as migrate_to will; no tty, so a prompt fails at once. */
function remoteUriProbeArgv(uri: string): string[] {
  return ["virsh", "--connect", uri, "--quiet", "uri"];
}

export interface MigrationProbe {
  from: string;
  to: string;
  /** The exact remote URI migrate_to uses from `from` to `to`. */
  uri: string;
  ok: boolean;
  problem: string | null;
}

/** Every probe the step runs, from `from` to each other node, for the wizard to show. */
export function migrationReadinessArgv(
  from: string,
  nodeNames: readonly string[],
  params: Readonly<Record<string, string>>,
): string[][] {
  return nodeNames
    .filter((name) => name !== from)
    .map((name) => remoteUriProbeArgv(migrationRemoteUri(params, name)));
}

/**
 * From each allowed node to each other one: connects to the exact remote URI the agent will
 * build from `params`, non-interactively, as migrate_to runs it (root, no tty). A pair that
 * fails here would make Pacemaker's live migration fail and restart the VM instead.
 */
export async function checkMigrationReadiness(
  pool: SshPool,
  nodes: readonly NodeTarget[],
  params: Readonly<Record<string, string>>,
  options: RunAgentOptions = {},
): Promise<Result<MigrationProbe[]>> {
  const pairs = nodes.flatMap((from) =>
    nodes.filter((to) => to.id !== from.id).map((to) => ({ from, to })),
  );
  // Every pair at once: each probe waits on a network round trip, not on the node's CPU.
  const answers = await Promise.all(
    pairs.map(({ from, to }) =>
      probeRemoteUri(pool, from, to.id, migrationRemoteUri(params, to.id), options),
    ),
  );
  const probes: MigrationProbe[] = [];
  for (const result of answers) {
    if (!result.ok) return result;
    probes.push(result.value);
  }
  return ok(probes);
}

/** One connection from `from` to the remote URI migrate_to would use to reach `to`. */
export async function probeRemoteUri(
  pool: SshPool,
  from: NodeTarget,
  to: string,
  uri: string,
  options: RunAgentOptions,
): Promise<Result<MigrationProbe>> {
  const probe = await pool.run(from, remoteUriProbeArgv(uri), {
    ...options,
    okExitCodes: "any",
    timeoutMs: 20_000,
  });
  if (!probe.ok) return probe;
  const failed = probe.value.exitCode !== 0;
  const said = probe.value.stderr
    .split("\n")
    .map((line) => line.replace(/^error:\s*/, "").trim())
    .filter(Boolean)
    .join(" ");
  return ok({
    from: from.id,
    to,
    uri,
    ok: !failed,
    problem: failed
      ? `${from.id} cannot connect to ${uri}: ${said || `exit ${probe.value.exitCode}`}`
      : null,
  });
}
