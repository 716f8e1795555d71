import type { NodeState } from "../inventory/parse-crm-mon.ts";
import type { LocationConstraint } from "../inventory/parse-location-constraints.ts";
import type { ConfigDrift } from "./compare-config-across-nodes.ts";

export interface MigrationTarget {
  node: string;
  allowed: boolean;
  /** Why not, in the operator's words; null when allowed. */
  reason: string | null;
}

/**
 * Every node as a possible target, greyed out with the first reason that rules it out: where the
 * VM already runs, offline, standby/maintenance, its config copy missing or different, or a
 * location constraint that bans the VM from it.
 */
export function listMigrationTargets(input: {
  nodes: readonly { name: string; state: NodeState | string }[];
  runningOn: readonly string[];
  constraints: readonly LocationConstraint[];
  drift: ConfigDrift | null;
}): MigrationTarget[] {
  const reference = input.drift?.copies.find((copy) => input.runningOn.includes(copy.node))?.sha256;
  return input.nodes.map(({ name, state }) => {
    const copy = input.drift?.copies.find((candidate) => candidate.node === name);
    const ban = input.constraints.find(
      (constraint) => constraint.node === name && constraint.score === "-INFINITY",
    );
    const reason = input.runningOn.includes(name)
      ? "the VM runs here"
      : state !== "online"
        ? `node is ${state}`
        : copy && copy.sha256 === null
          ? `config missing: ${copy.problem ?? "not readable"}`
          : copy && reference && copy.sha256 !== reference
            ? "config differs from the running node's copy"
            : ban
              ? `banned by constraint ${ban.id}`
              : null;
    return { node: name, allowed: reason === null, reason };
  });
}
