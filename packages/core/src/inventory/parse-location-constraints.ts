import { AppError } from "../errors.ts";
import { attr, element, elements, readXml } from "../xml/read-xml.ts";

/**
 * Who made a location constraint: `pcs resource move` leaves cli-prefer-*, `ban` leaves
 * cli-ban-*; both outlive the operation and pin or exclude the VM until cleared.
 */
export type ConstraintOrigin = "move" | "ban" | "user";

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
}

/** Reads the location constraints of `cibadmin -Q -o constraints`. */
export function parseLocationConstraints(xml: string): LocationConstraint[] {
  const parsed = readXml(xml, "cibadmin constraints", ["rsc_location", "rule"]);
  if (!("constraints" in parsed)) {
    throw new AppError("PARSE_ERROR", "cibadmin output has no <constraints> element.");
  }
  return elements(element(parsed.constraints)?.rsc_location).map((location) => {
    const id = attr(location, "id") ?? "";
    return {
      id,
      resource: attr(location, "rsc") ?? attr(location, "rsc-pattern") ?? "",
      node: attr(location, "node") ?? null,
      score: attr(location, "score") ?? null,
      role: attr(location, "role") ?? null,
      origin: id.startsWith("cli-prefer-") ? "move" : id.startsWith("cli-ban-") ? "ban" : "user",
      hasRules: elements(location.rule).length > 0,
    };
  });
}
