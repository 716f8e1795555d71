import { AppError } from "../errors.ts";
import { attr, element, elements, readXml } from "../xml/read-xml.ts";

/**
 * Who made a location constraint: `pcs resource move` leaves cli-prefer-*, `ban` leaves
 * cli-ban-*; both outlive the operation and pin or exclude the VM until cleared.
 */
export type ConstraintOrigin = "move" | "ban" | "allowed-nodes" | "user";

/**
 * The id Corral gives the constraint that keeps a VM on its allowed nodes. Onboarding writes
 * generation 1; each change of the allowed set writes the next generation before it deletes the
 * older ones, so the VM is never unbound in between.
 */
export function allowedNodesConstraintId(resource: string, generation = 1): string {
  const base = `corral-allowed-${resource}`;
  return generation > 1 ? `${base}-gen${generation}` : base;
}

/** The generation of an allowed-nodes constraint id of `resource`; null for any other id. */
export function allowedNodesGeneration(id: string, resource: string): number | null {
  const base = allowedNodesConstraintId(resource);
  if (id === base) return 1;
  const generation = id.startsWith(`${base}-gen`) ? Number(id.slice(base.length + 4)) : Number.NaN;
  return Number.isInteger(generation) && generation > 1 ? generation : null;
}

/**
 * The nodes Corral's allowed-nodes constraints leave a resource (all of them apply: where a
 * change was cut between writing the new one and deleting the old, only the nodes both allow);
 * null when it has none.
 */
export function allowedNodesOf(constraints: readonly LocationConstraint[]): string[] | null {
  const sets = constraints.flatMap((c) =>
    c.origin === "allowed-nodes" && c.allowedNodes ? [c.allowedNodes] : [],
  );
  const [first, ...rest] = sets;
  if (!first) return null;
  return first.filter((node) => rest.every((set) => set.includes(node)));
}

export interface LocationConstraint {
  id: string;
  resource: string;
  /** null when the constraint uses rules instead of a node. */
  node: string | null;
  /** "INFINITY", "-INFINITY" or a number as text. */
  score: string | null;
  role: string | null;
  origin: ConstraintOrigin;
  hasRules: boolean;
  /** For Corral's allowed-nodes constraint: the nodes its rule leaves the VM (null otherwise). */
  allowedNodes: string[] | null;
}

function constraintOrigin(id: string, resource: string): ConstraintOrigin {
  if (id.startsWith("cli-prefer-")) return "move";
  if (id.startsWith("cli-ban-")) return "ban";
  if (allowedNodesGeneration(id, resource) !== null) return "allowed-nodes";
  return "user";
}

/** Reads the location constraints of `cibadmin -Q -o constraints`. */
export function parseLocationConstraints(xml: string): LocationConstraint[] {
  const parsed = readXml(xml, "cibadmin constraints", ["rsc_location", "rule", "expression"]);
  if (!("constraints" in parsed)) {
    throw new AppError("PARSE_ERROR", "cibadmin output has no <constraints> element.");
  }
  return elements(element(parsed.constraints)?.rsc_location).map((location) => {
    const id = attr(location, "id") ?? "";
    const resource = attr(location, "rsc") ?? attr(location, "rsc-pattern") ?? "";
    const rules = elements(location.rule);
    const origin = constraintOrigin(id, resource);
    return {
      id,
      resource,
      node: attr(location, "node") ?? null,
      score:
        attr(location, "score") ?? rules.map((rule) => attr(rule, "score")).find(Boolean) ?? null,
      role: attr(location, "role") ?? null,
      origin,
      hasRules: rules.length > 0,
      // "-INFINITY unless #uname is one of them": the nodes are the `ne` operands.
      allowedNodes:
        origin === "allowed-nodes"
          ? rules.flatMap((rule) =>
              elements(rule.expression)
                .filter((e) => attr(e, "attribute") === "#uname" && attr(e, "operation") === "ne")
                .map((e) => attr(e, "value") ?? ""),
            )
          : null,
    };
  });
}
