import { z } from "zod";

/** Shared by the VM cards' dialogs and the procedures (re-exported from @corral/api/schemas). */

const clusterId = z.string().min(1).max(100);
const name = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9_.-]+$/, "Letters, digits, _ . and - only.");

export const vmRefInput = z.object({ clusterId, vm: name });
export type VmRefInput = z.infer<typeof vmRefInput>;

export const moveVmInput = vmRefInput.extend({ target: name });
export type MoveVmInput = z.infer<typeof moveVmInput>;

export const migrationIdInput = z.object({ migrationId: z.uuid() });

/** Same list as core's RESOURCE_ACTIONS (kept browser-safe here). */
export const VM_ACTIONS = ["enable", "disable", "restart", "cleanup", "clear"] as const;
export const NODE_ACTIONS = ["standby", "unstandby"] as const;

export const vmActionInput = z.discriminatedUnion("kind", [
  vmRefInput.extend({ kind: z.literal("vm"), action: z.enum(VM_ACTIONS) }),
  z.object({
    kind: z.literal("node"),
    clusterId,
    node: name,
    action: z.enum(NODE_ACTIONS),
    /** Standby although it leaves the named VMs stopped (the confirmation named them). */
    stopVms: z.array(name).max(10_000).optional(),
  }),
]);
export type VmActionInput = z.infer<typeof vmActionInput>;

export const resyncConfigInput = vmRefInput.extend({ source: name });

export const migrationHistoryInput = z.object({ clusterId, vm: name.optional() });
