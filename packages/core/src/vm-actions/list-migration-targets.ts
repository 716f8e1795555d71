import type { NodeState } from "../inventory/parse-crm-mon.ts";
import {
  allowedNodesOf,
  type LocationConstraint,
} from "../inventory/parse-location-constraints.ts";
import type { VmStorageCheck } from "./check-vm-storage.ts";
import type { ConfigDrift } from "./compare-config-across-nodes.ts";

export interface MigrationTarget {
  node: string;
  allowed: boolean;
  /** Why not, in the operator's words; null when allowed. */
  reason: string | null;
}

/**
 * Every node as a possible target, greyed out with the first reason that rules it out: where the
 * VM already runs, offline, standby/maintenance, libvirt not answering there (migrate_to fails,
 * and Pacemaker's recovery then waits out its start timeout there with the VM down), its config
 * copy missing or different, storage the VM needs missing there (or not checkable), or a
 * location constraint that bans the VM.
 */
export function listMigrationTargets(input: {
  nodes: readonly {
    name: string;
    state: NodeState | string;
    /** As the node's watch last found it; null: not heard from yet. */
    libvirt: { up: boolean; error: string | null } | null;
  }[];
  runningOn: readonly string[];
  constraints: readonly LocationConstraint[];
  drift: ConfigDrift | null;
  storage: VmStorageCheck | null;
}): MigrationTarget[] {
  const reference = input.drift?.copies.find((copy) => input.runningOn.includes(copy.node))?.sha256;
  const allowed = allowedNodesOf(input.constraints);
  return input.nodes.map(({ name, state, libvirt }) => {
    const copy = input.drift?.copies.find((candidate) => candidate.node === name);
    const ban = input.constraints.find(
      (constraint) => constraint.node === name && constraint.score === "-INFINITY",
    );
    const reason = input.runningOn.includes(name)
      ? "the VM runs here"
      : allowed && !allowed.includes(name)
        ? `not an allowed node (allowed: ${allowed.join(", ")})`
        : state !== "online"
          ? `node is ${state}`
          : libvirt && !libvirt.up
            ? `libvirt does not answer here${libvirt.error ? `: ${libvirt.error}` : ""}`
            : copy && copy.sha256 === null
              ? `config missing: ${copy.problem ?? "not readable"}`
              : copy && reference && copy.sha256 !== reference
                ? "config differs from the running node's copy"
                : (storageReason(input.storage, name) ??
                  (ban ? `banned by constraint ${ban.id}` : null));
    return { node: name, allowed: reason === null, reason };
  });
}

/** A VM started where a disk or kernel is missing fails its start, so such a node cannot take it. */
function storageReason(storage: VmStorageCheck | null, node: string): string | null {
  if (!storage) return null;
  if (!storage.report) return storage.problem ? `storage not checked: ${storage.problem}` : null;
  const answer = storage.report.answers.find((candidate) => candidate.nodeId === node);
  if (answer && !answer.result.ok) return `storage not checked: ${answer.result.error.message}`;
  const missing = storage.report.problems.filter((problem) => problem.node === node);
  const [first] = missing;
  if (!first) return null;
  const more = missing.length > 1 ? `; +${missing.length - 1} more` : "";
  return `storage missing: ${first.path} (${first.use}): ${first.problem}${more}`;
}
