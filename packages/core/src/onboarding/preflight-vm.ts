import { agentArgv } from "../agent/agent-layout.ts";
import type { Domain } from "../agent/agent-protocol.ts";
import type { RunAgentOptions } from "../agent/run-agent.ts";
import { listDomainResources } from "../cluster/list-domain-resources.ts";
import { AppError } from "../errors.ts";
import { err, ok, type Result } from "../result.ts";
import type { NodeTarget } from "../ssh/node-target.ts";
import type { SshPool } from "../ssh/ssh-pool.ts";
import { isDomainActive, listDomainsEverywhere, matchDomain } from "./locate-domain.ts";
import { resourceNameSchema } from "./onboarding-schemas.ts";

export type PreflightCheckId =
  | "resource-name"
  | "stopped"
  | "autostart-off"
  | "not-a-resource"
  | "unique-on-cluster";

export interface PreflightCheck {
  id: PreflightCheckId;
  ok: boolean;
  message: string;
  /** Nodes the failure concerns (where it runs, where autostart is on, ...). */
  nodes: string[];
  /** What the wizard can do about it, with the operator's consent. */
  fix: "shutdown" | "disable-autostart" | null;
}

export interface PreflightReport {
  domain: Domain;
  /** The node whose definition is onboarded (where it runs, else where it is persistent). */
  sourceNode: string;
  checks: PreflightCheck[];
  ok: boolean;
}

/** What preflight runs, for the wizard to show before it runs it. */
export function preflightArgv(resourceName: string, options: RunAgentOptions = {}): string[][] {
  return [
    agentArgv("domains", [], options),
    agentArgv("resources", [], options),
    cibIdArgv(resourceName),
  ];
}

/**
 * Ids are unique across the CIB's configuration: a constraint or property set may hold the name
 * too. The status section repeats resource ids (lrm_resource), so it is left out.
 */
function cibIdArgv(id: string): string[] {
  return ["cibadmin", "--query", "--xpath", `/cib/configuration//*[@id='${id}']`];
}

/**
 * What in the CIB already has this id (its element name: primitive, group, rsc_location, ...),
 * null when nothing does. `id` must be a valid resource name, so it cannot break the XPath.
 */
async function findCibIdOwner(
  pool: SshPool,
  node: NodeTarget,
  id: string,
  options: RunAgentOptions,
): Promise<Result<string | null>> {
  // cibadmin exits 105 (no such device or address) when the XPath matches nothing.
  const run = await pool.run(node, cibIdArgv(id), { ...options, okExitCodes: [0, 105] });
  if (!run.ok) return run;
  if (run.value.exitCode === 105) return ok(null);
  // Several matches come wrapped in <xpath-query>; the first names the kind.
  const tag = /^\s*(?:<xpath-query>\s*)?<([A-Za-z_][\w:.-]*)/.exec(run.value.stdout)?.[1];
  return ok(tag ?? "element");
}

/**
 * Everything that must hold before the config is dumped: the VM is stopped everywhere,
 * autostart is off on every node, it is not a resource yet, no node has another domain with
 * its name or UUID, and the resource name is a valid pacemaker id.
 */
export async function preflightVm(
  pool: SshPool,
  nodes: readonly NodeTarget[],
  input: { domain: string; resourceName: string },
  options: RunAgentOptions = {},
): Promise<Result<PreflightReport>> {
  const context = { ...options, vm: input.domain };
  const firstNode = nodes[0];
  if (!firstNode) return err(new AppError("INVALID_INPUT", "No nodes given."));
  const [listed, resources] = await Promise.all([
    listDomainsEverywhere(pool, nodes, context),
    listDomainResources(pool, firstNode, context),
  ]);
  if (!listed.ok) return listed;
  if (!resources.ok) return resources;
  const named = matchDomain(listed.value, { name: input.domain });
  const source =
    named.find((s) => isDomainActive(s.domain)) ?? named.find((s) => s.domain.persistent);
  if (!source) {
    return err(
      new AppError(
        "VM_NOT_FOUND",
        `No node defines or runs a domain named ${input.domain}. Check the name with virsh list --all.`,
      ),
    );
  }
  const { domain } = source;
  const sightings = matchDomain(listed.value, { name: domain.name, uuid: domain.uuid });

  const checks: PreflightCheck[] = [];
  const name = resourceNameSchema.safeParse(input.resourceName);
  const owner = name.success
    ? await findCibIdOwner(pool, firstNode, input.resourceName, context)
    : ok(null);
  if (!owner.ok) return owner;
  const nameTaken = owner.value !== null;
  checks.push({
    id: "resource-name",
    ok: name.success && !nameTaken,
    message: !name.success
      ? (name.error.issues[0]?.message ?? "Invalid resource name.")
      : nameTaken
        ? `${input.resourceName} is already the id of a ${owner.value} in the CIB: pick another resource name.`
        : `${input.resourceName} is a valid, unused resource name.`,
    nodes: [],
    fix: null,
  });
  const active = sightings.filter((s) => isDomainActive(s.domain));
  checks.push({
    id: "stopped",
    ok: active.length === 0,
    message:
      active.length === 0
        ? `${domain.name} is stopped on every node.`
        : `${domain.name} is ${active.map((s) => `${s.domain.state} on ${s.node}`).join(", ")}. It must be shut down before pacemaker takes it over.`,
    nodes: active.map((s) => s.node),
    fix: active.length === 0 ? null : "shutdown",
  });
  const autostart = sightings.filter((s) => s.domain.autostart);
  checks.push({
    id: "autostart-off",
    ok: autostart.length === 0,
    message:
      autostart.length === 0
        ? "Autostart is off on every node."
        : `Autostart is on for ${domain.name} on ${autostart.map((s) => s.node).join(", ")}: the host would start it at boot beside pacemaker.`,
    nodes: autostart.map((s) => s.node),
    fix: autostart.length === 0 ? null : "disable-autostart",
  });
  const managing = resources.value.filter(
    (r) => r.domain === domain.name || (r.uuid !== null && r.uuid === domain.uuid),
  );
  checks.push({
    id: "not-a-resource",
    ok: managing.length === 0,
    message:
      managing.length === 0
        ? `No resource manages ${domain.name} yet.`
        : `${domain.name} is already managed by resource ${managing.map((r) => r.id).join(", ")}.`,
    nodes: [],
    fix: null,
  });
  const clashes = sightings.filter(
    (s) =>
      s.node !== source.node && (s.domain.uuid !== domain.uuid || s.domain.name !== domain.name),
  );
  checks.push({
    id: "unique-on-cluster",
    ok: clashes.length === 0,
    message:
      clashes.length === 0
        ? `No other node has a different domain with the name or UUID of ${domain.name}.`
        : `Other domains share the name or UUID: ${clashes.map((s) => `${s.domain.name} (${s.domain.uuid}) on ${s.node}`).join(", ")}. Rename or undefine them first.`,
    nodes: clashes.map((s) => s.node),
    fix: null,
  });
  return ok({ domain, sourceNode: source.node, checks, ok: checks.every((c) => c.ok) });
}
