/**
 * Operator roles, least to most privileged: a viewer reads, an operator also acts on clusters
 * and VMs, an admin also manages operators and settings. Each role includes the ones before it.
 */
export const ROLES = ["viewer", "operator", "admin"] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

/** True when `role` may do what `required` may. Unknown roles may do nothing. */
export function roleAtLeast(role: unknown, required: Role): boolean {
  return isRole(role) && ROLES.indexOf(role) >= ROLES.indexOf(required);
}
