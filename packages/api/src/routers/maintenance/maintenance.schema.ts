import { plainText } from "@corral/core/schemas";
import { z } from "zod";
import { vmRefInput } from "../vms/vms.schema.ts";

/** Shared by the rolling maintenance form and the procedures (re-exported from @corral/api/schemas). */

const clusterId = vmRefInput.shape.clusterId;
const name = vmRefInput.shape.vm;

const maintenanceWorkInput = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("pause") }),
  z.object({
    kind: z.literal("hook"),
    command: plainText.trim().min(1, "Say what to run on each node.").max(2000),
  }),
]);

export const maintenancePlanInput = z.object({ clusterId, work: maintenanceWorkInput });

export const startMaintenanceInput = z.object({
  clusterId,
  nodes: z.array(name).min(1, "Pick at least one node.").max(64),
  work: maintenanceWorkInput,
  retest: z.boolean(),
  stopVms: z.array(name).max(5000),
});
export type StartMaintenanceInput = z.infer<typeof startMaintenanceInput>;

export const maintenanceIdInput = z.object({ clusterId, id: z.uuid() });
