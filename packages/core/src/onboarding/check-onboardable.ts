import type { Inventory } from "../cluster/inventory.types.ts";
import { AppError } from "../errors.ts";

/**
 * Refuses, before any step runs, an onboarding that could only fail or do harm: a VM no node
 * knows, a VM Pacemaker already manages (the preflight shutdown would stop a managed VM and
 * Pacemaker would restart it), or a resource name the CIB already uses.
 */
export function checkOnboardable(
  inventory: Pick<Inventory, "vms" | "clusterName">,
  cibResourceIds: readonly string[],
  input: { vm: string; resourceName: string },
): AppError | null {
  const vm = inventory.vms.find((candidate) => candidate.name === input.vm);
  if (!vm) {
    return new AppError(
      "VM_NOT_FOUND",
      `No node of ${inventory.clusterName} knows a VM named ${input.vm}.`,
    );
  }
  if (vm.resource) {
    return new AppError(
      "RESOURCE_EXISTS",
      `${input.vm} is already managed by Pacemaker as resource ${vm.resource.id}: it cannot be onboarded again.`,
    );
  }
  if (cibResourceIds.includes(input.resourceName)) {
    return new AppError(
      "RESOURCE_EXISTS",
      `The CIB already has a resource named ${input.resourceName}: choose another name.`,
    );
  }
  return null;
}
