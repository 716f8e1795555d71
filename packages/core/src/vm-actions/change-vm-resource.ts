import type { VmResourceConfig } from "./read-vm-resource-config.ts";

/** One change an operator makes to a resource after it was created. */
export type ResourceChange =
  | { kind: "params"; values: Record<string, string> }
  | { kind: "meta"; values: Record<string, string> }
  | { kind: "op"; name: string; interval: string; timeout: string };

/** The exact pcs command of a change (an empty value removes the option). */
export function resourceChangeArgv(resource: string, change: ResourceChange): string[] {
  const pairs = (values: Record<string, string>) =>
    Object.entries(values)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, value]) => `${name}=${value}`);
  switch (change.kind) {
    case "params":
      return ["pcs", "resource", "update", resource, ...pairs(change.values)];
    case "meta":
      return ["pcs", "resource", "meta", resource, ...pairs(change.values)];
    case "op":
      return [
        "pcs",
        "resource",
        "update",
        resource,
        "op",
        change.name,
        `interval=${change.interval}`,
        `timeout=${change.timeout}`,
      ];
  }
}

/**
 * Whether Pacemaker restarts the VM for the change: a changed agent option that the agent does
 * not declare reloadable (VirtualDomain declares none) changes the resource's digest, and
 * Pacemaker stops and starts it. Meta attributes and operation timeouts do not.
 */
export function changeRestartsVm(
  definition: Pick<VmResourceConfig, "params">,
  change: ResourceChange,
  reloadable: readonly string[] = [],
): boolean {
  if (change.kind !== "params") return false;
  return Object.entries(change.values).some(
    ([name, value]) => (definition.params[name] ?? "") !== value && !reloadable.includes(name),
  );
}
