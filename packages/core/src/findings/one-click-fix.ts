import type { Inventory } from "../cluster/inventory.types.ts";
import { quoteArgv } from "../shell/quote-argv.ts";
import { resourceChangeArgv } from "../vm-actions/change-vm-resource.ts";
import { type ResourceAction, resourceActionArgv } from "../vm-actions/resource-actions.ts";
import type { ObservedFinding } from "./finding.types.ts";

/**
 * A fix Corral may run for a finding on the operator's confirmation: one command whose effect
 * is limited to the finding's subject and never starts, stops or moves a VM by itself. Either
 * one of the resource actions (run and audited as that action) or a command on one node.
 */
export type OneClickFix = {
  /** What the button says. */
  label: string;
  /** The exact command, as the confirmation shows it. */
  command: string;
  /** What the operator must know before confirming; null when nothing. */
  caution: string | null;
} & (
  | { kind: "vm-action"; action: Extract<ResourceAction, "clear" | "manage">; vm: string }
  | { kind: "cluster-action"; action: Extract<ResourceAction, "maintenance-off"> }
  | { kind: "meta"; vm: string; values: Record<string, string> }
  | { kind: "autostart-off"; vm: string; node: string; argv: string[] }
);

/**
 * The fix a finding offers, from what it says and the cluster as it is now (the resource that
 * runs the VM); null when no command is safe to run for it unattended (fencing, libvirt, a
 * config copy: those keep their commands to run by hand, or their own dialog).
 */
export function oneClickFix(
  finding: Pick<ObservedFinding, "kind" | "vm" | "node">,
  inventory: Inventory | null,
): OneClickFix | null {
  const resource = inventory?.vms.find((vm) => vm.name === finding.vm)?.resource ?? null;
  const resourceAction = (
    action: Extract<ResourceAction, "clear" | "manage">,
    label: string,
    caution: string,
  ): OneClickFix | null =>
    resource
      ? {
          kind: "vm-action",
          action,
          vm: resource.id,
          label,
          command: quoteArgv(resourceActionArgv(action, { vm: resource.id })),
          caution,
        }
      : null;
  switch (finding.kind) {
    case "autostart-on": {
      if (!finding.vm || !finding.node) return null;
      const argv = ["virsh", "autostart", "--disable", "--domain", finding.vm];
      return {
        kind: "autostart-off",
        vm: finding.vm,
        node: finding.node,
        argv,
        label: `Turn autostart off on ${finding.node}`,
        command: `${finding.node}: ${quoteArgv(argv)}`,
        caution: null,
      };
    }
    case "stale-constraint":
      return resourceAction(
        "clear",
        "Clear the left-over constraints",
        "Pacemaker may then place the VM where it scores best; with resource-stickiness above 0 a running VM stays where it is.",
      );
    case "stickiness-zero": {
      if (!resource) return null;
      const change = { kind: "meta" as const, values: { "resource-stickiness": "1" } };
      return {
        ...change,
        vm: resource.id,
        label: "Set resource-stickiness to 1",
        command: quoteArgv(resourceChangeArgv(resource.id, change)),
        caution: null,
      };
    }
    case "unmanaged":
      return resource?.isManaged === false
        ? resourceAction(
            "manage",
            "Manage it again",
            "Pacemaker starts, stops and recovers it again: if it runs where Pacemaker would not place it, Pacemaker moves or stops it.",
          )
        : null;
    case "maintenance-mode":
      return {
        kind: "cluster-action",
        action: "maintenance-off",
        label: "Leave maintenance mode",
        command: quoteArgv(resourceActionArgv("maintenance-off", {})),
        caution:
          "Pacemaker acts on every resource again: one started, stopped or moved by hand meanwhile is brought back to what the cluster says.",
      };
    default:
      return null;
  }
}
