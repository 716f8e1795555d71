import { EVACUATION_STRATEGIES, MOVE_CONSTRAINT_MODES, plainText } from "@corral/core/schemas";
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

export const moveVmInput = vmRefInput.extend({
  target: name,
  constraint: z.enum(MOVE_CONSTRAINT_MODES).default("clear"),
});
export type MoveVmInput = z.infer<typeof moveVmInput>;

export const migrationIdInput = z.object({ migrationId: z.uuid() });

/** Same list as core's RESOURCE_ACTIONS (kept browser-safe here). */
export const VM_ACTIONS = [
  "enable",
  "disable",
  "restart",
  "cleanup",
  "clear",
  "manage",
  "unmanage",
] as const;
const NODE_ACTIONS = ["standby", "unstandby"] as const;
const CLUSTER_ACTIONS = ["maintenance-on", "maintenance-off", "cleanup-all"] as const;

export const vmActionInput = z.discriminatedUnion("kind", [
  vmRefInput.extend({ kind: z.literal("vm"), action: z.enum(VM_ACTIONS) }),
  z.object({
    kind: z.literal("node"),
    clusterId,
    node: name,
    action: z.enum(NODE_ACTIONS),
    /** Standby although it leaves the named VMs stopped (the confirmation named them). */
    stopVms: z.array(name).max(10_000).optional(),
    /**
     * A standby's drain as the operator chose: each VM live, restarted elsewhere or held
     * (stopped until Bring back), in the order they go, and how many move at once. Without it
     * the standby alone moves them, as Pacemaker decides.
     */
    evacuate: z
      .object({
        vms: z
          .array(z.object({ resource: name, strategy: z.enum(EVACUATION_STRATEGIES) }))
          .max(10_000),
        concurrency: z.number().int().min(1).max(8),
      })
      .optional(),
  }),
  z.object({ kind: z.literal("cluster"), clusterId, action: z.enum(CLUSTER_ACTIONS) }),
]);
export type VmActionInput = z.infer<typeof vmActionInput>;

export const resyncConfigInput = vmRefInput.extend({ source: name });

export const migrationHistoryInput = z.object({ clusterId, vm: name.optional() });

/** Bring an evacuation's VMs back to the node they left. */
export const returnHomeInput = z.object({ clusterId, evacuationId: z.string().min(1).max(100) });
export type ReturnHomeInput = z.infer<typeof returnHomeInput>;

const optionName = z
  .string()
  .max(64)
  .regex(/^[a-z_][a-z0-9_-]{0,63}$/, "Not an option name.");
const optionValues = z
  .record(optionName, plainText.max(4096))
  .refine(
    (values) => Object.keys(values).length > 0 && Object.keys(values).length <= 64,
    "Change between 1 and 64 options at once.",
  );
const duration = z
  .string()
  .max(20)
  .regex(/^[0-9]+(ms|s|m|min|h)?$/, "A duration such as 90s or 2min.");

/** One change to a resource after it was created: its agent options, meta, or an operation. */
export const changeResourceInput = vmRefInput.extend({
  change: z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("params"), values: optionValues }),
    z.object({ kind: z.literal("meta"), values: optionValues }),
    z.object({
      kind: z.literal("op"),
      name: z.enum(["start", "stop", "monitor", "migrate_to", "migrate_from"]),
      interval: duration,
      timeout: duration,
    }),
  ]),
  /** The change restarts the VM and the confirmation said so. */
  acceptRestart: z.boolean().optional(),
  /** Answer the exact command and whether it restarts the VM, without running it. */
  dryRun: z.boolean().optional(),
});
export type ChangeResourceInput = z.infer<typeof changeResourceInput>;

/** Gives the VM back to libvirt: the resource goes, the domain is defined on `defineOn`. */
export const deleteResourceInput = vmRefInput.extend({
  defineOn: name,
  removeConfigs: z.boolean(),
  /** Answer the exact commands, without running them. */
  dryRun: z.boolean().optional(),
});
export type DeleteResourceInput = z.infer<typeof deleteResourceInput>;
