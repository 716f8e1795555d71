import type { InventoryVm } from "@/lib/trpc-types.ts";

/** What the VMs page narrows the list to; empty fields match everything. */
export interface VmFilter {
  /** Part of the VM's name or resource id, any case. */
  text: string;
  /** Pacemaker's role (Started, Stopped, …), or "unmanaged" for a VM no resource manages. */
  state: string;
  /** A node the VM runs or is defined on. */
  node: string;
  failed: boolean;
  /** Has a location constraint (a move or ban leftover, or the operator's own). */
  constraint: boolean;
  /** Its config file differs (or is missing) on an online node. */
  drift: boolean;
}

export const NO_FILTER: VmFilter = {
  text: "",
  state: "",
  node: "",
  failed: false,
  constraint: false,
  drift: false,
};

export function stateOf(vm: InventoryVm): string {
  return vm.resource?.role ?? "unmanaged";
}

export function matchesFilter(vm: InventoryVm, filter: VmFilter): boolean {
  const text = filter.text.trim().toLowerCase();
  const resource = vm.resource;
  if (text && !vm.name.toLowerCase().includes(text) && !resource?.id.toLowerCase().includes(text)) {
    return false;
  }
  if (filter.state && stateOf(vm) !== filter.state) return false;
  if (
    filter.node &&
    !vm.runningOn.includes(filter.node) &&
    !vm.placements.some((placement) => placement.node === filter.node) &&
    !resource?.nodes.includes(filter.node)
  ) {
    return false;
  }
  if (filter.failed && !resource?.failed && !resource?.failCounts.length) return false;
  if (filter.constraint && !resource?.constraints.length) return false;
  if (filter.drift && resource?.configCheck?.identical !== false) return false;
  return true;
}

/**
 * Whether the card can show everything it shows without asking anything more: a managed VM's
 * allow-migrate and, when it has a config file, the drift check across the online nodes.
 */
export function isCardWhole(vm: InventoryVm): boolean {
  const resource = vm.resource;
  if (!resource) return true;
  return (
    resource.allowMigrate !== null &&
    (resource.configPath === null || resource.configCheck !== null)
  );
}
