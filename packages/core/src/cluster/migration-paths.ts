import { setTimeout as sleep } from "node:timers/promises";
import pLimit from "p-limit";
import type { RunAgentOptions } from "../agent/run-agent.ts";
import { migrationRemoteUri, probeRemoteUri } from "../onboarding/check-migration-readiness.ts";
import type { NodeTarget } from "../ssh/node-target.ts";
import type { SshPool } from "../ssh/ssh-pool.ts";
import type { Inventory, MigrationPathCheck } from "./inventory.types.ts";
import type { DomainResource } from "./list-domain-resources.ts";

/** One remote URI a live migration from `from` would connect to, and how many VMs use it. */
export interface MigrationPath {
  from: string;
  to: string;
  uri: string;
  vms: number;
}

/**
 * What each node trusts of the others and presents to them: a change to any of these files on
 * a node (a reinstalled node's new host key, a known_hosts entry edited or removed) probes the
 * paths again at once, not at the next period.
 */
export const SSH_TRUST_FILES = [
  "/etc/ssh/ssh_host_ed25519_key.pub",
  "/etc/ssh/ssh_host_ecdsa_key.pub",
  "/etc/ssh/ssh_host_rsa_key.pub",
  "/etc/ssh/ssh_known_hosts",
  "/root/.ssh/known_hosts",
] as const;

/** Node states in which a node can take part in a live migration now. */
const CAN_MIGRATE = new Set(["online", "standby"]);

/** The parameters migrate_to builds its remote URI from (migrationRemoteUri). */
const URI_PARAMS = [
  "remoteuri",
  "hypervisor",
  "migration_transport",
  "migration_network_suffix",
  "migration_user",
] as const;

/**
 * The live migrations the cluster may ask for: for every VM with allow-migrate, from each of
 * its allowed nodes to each other, the exact URI its migrate_to builds (its own parameters).
 * Only between nodes that can migrate now; `complete` says whether that left any out. VMs
 * with the same parameters and allowed nodes share their paths, so the work follows the
 * distinct settings, not the number of VMs.
 */
export function plannedMigrationPaths(
  inventory: Inventory,
  resources: readonly DomainResource[],
): { paths: MigrationPath[]; complete: boolean } {
  const params = new Map(resources.map((resource) => [resource.id, resource.params]));
  const ready = new Set(
    inventory.nodes.filter((node) => CAN_MIGRATE.has(node.state)).map((node) => node.name),
  );
  const everyNode = inventory.nodes.map((node) => node.name);
  const groups = new Map<
    string,
    { params: Record<string, string>; nodes: string[]; vms: number }
  >();
  let complete = true;
  for (const vm of inventory.vms) {
    const resource = vm.resource;
    if (!resource?.allowMigrate) continue;
    const allowed = resource.allowedNodes ?? everyNode;
    if (allowed.some((node) => !ready.has(node))) complete = false;
    const own = params.get(resource.id) ?? {};
    const uriParams = Object.fromEntries(URI_PARAMS.map((name) => [name, own[name] ?? ""]));
    const nodes = allowed.filter((node) => ready.has(node)).sort();
    const key = JSON.stringify([uriParams, nodes]);
    const group = groups.get(key) ?? { params: uriParams, nodes, vms: 0 };
    group.vms++;
    groups.set(key, group);
  }
  const byKey = new Map<string, MigrationPath>();
  for (const group of groups.values()) {
    for (const from of group.nodes) {
      for (const to of group.nodes) {
        if (from === to) continue;
        const uri = migrationRemoteUri(group.params, to);
        const key = `${from}\n${to}\n${uri}`;
        const path = byKey.get(key) ?? { from, to, uri, vms: 0 };
        path.vms += group.vms;
        byKey.set(key, path);
      }
    }
  }
  const paths = [...byKey.values()].sort(
    (a, b) =>
      a.from.localeCompare(b.from) || a.to.localeCompare(b.to) || a.uri.localeCompare(b.uri),
  );
  return { paths, complete };
}

/** What identifies a plan: the same paths need no new probe until the period or a trust change. */
export function migrationPlanKey(plan: {
  paths: readonly MigrationPath[];
  complete: boolean;
}): string {
  return `${plan.complete}\n${plan.paths.map((path) => `${path.from} ${path.to} ${path.uri}`).join("\n")}`;
}

/**
 * Probes at once per cluster: each is an ssh connection from one node to another, and sshd
 * drops new connections beyond its MaxStartups (10 by default) while they authenticate; at 32
 * nodes a probe of every pair at once would send 31 to each node.
 */
const PROBES_AT_ONCE = 4;
/**
 * The periodic probe's pace, cluster-wide: one path per second on average at most. Each probe
 * is an ssh connection: about 0.14 s of CPU with OpenSSH 9's default key exchange (sntrup761),
 * nearly all of it the source's ssh client (20 probes measured on the lab). 992 paths at 32
 * nodes are probed every 16.5 min, not every 5: 0.15 s of CPU per second cluster-wide, not 0.5.
 */
const PERIODIC_MS_PER_PATH = 1_000;

/** How long after a probe of `paths` paths the next periodic one runs. */
export function probePeriodMs(paths: number, minimumMs: number): number {
  return Math.max(minimumMs, paths * PERIODIC_MS_PER_PATH);
}

/** A failed probe is tried again once after this pause before it counts: a dropped connection
 * or a busy libvirtd is not a broken path. */
const RETRY_AFTER_MS = 1_000;

/**
 * Connects along every path as migrate_to would (root, no tty), PROBES_AT_ONCE at a time. A
 * path whose source could not be asked at all is not a verdict on the path: it leaves the
 * check incomplete.
 */
export async function probeMigrationPaths(
  pool: SshPool,
  plan: { paths: readonly MigrationPath[]; complete: boolean },
  targetOf: (node: string) => NodeTarget | null,
  options: RunAgentOptions = {},
): Promise<MigrationPathCheck> {
  let complete = plan.complete;
  const failures: MigrationPathCheck["failures"] = [];
  const limit = pLimit(PROBES_AT_ONCE);
  const probeOnce = (source: NodeTarget, path: MigrationPath) =>
    limit(() => probeRemoteUri(pool, source, path.to, path.uri, options));
  await Promise.all(
    plan.paths.map(async (path) => {
      const source = targetOf(path.from);
      let probe = source ? await probeOnce(source, path) : null;
      if (source && probe?.ok && !probe.value.ok) {
        await sleep(RETRY_AFTER_MS);
        probe = await probeOnce(source, path);
      }
      if (!probe?.ok) {
        complete = false;
        return;
      }
      if (!probe.value.ok) {
        failures.push({
          from: path.from,
          to: path.to,
          uri: path.uri,
          vms: path.vms,
          problem: probe.value.problem ?? "",
        });
      }
    }),
  );
  failures.sort((a, b) => a.to.localeCompare(b.to) || a.from.localeCompare(b.from));
  return { since: new Date(), complete, probed: plan.paths.length, failures };
}

/** ssh's words when the key a node presents is not the one the source trusts for it. */
export function isHostKeyFailure(problem: string): boolean {
  return /Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED|No \S+ host key is known/i.test(
    problem,
  );
}
