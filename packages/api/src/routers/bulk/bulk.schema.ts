import { BULK_ACTIONS } from "@corral/core/schemas";
import { z } from "zod";
import { vmRefInput } from "../vms/vms.schema.ts";

/** Shared by the bulk action dialog and the procedure (re-exported from @corral/api/schemas). */
export const startBulkInput = z
  .object({
    clusterId: vmRefInput.shape.clusterId,
    resources: z.array(vmRefInput.shape.vm).min(1, "No VM is shown.").max(5000),
    action: z.enum(BULK_ACTIONS),
    target: vmRefInput.shape.vm.nullable(),
    concurrency: z.number().int().min(1).max(8),
  })
  .refine((input) => input.action !== "migrate" || input.target !== null, {
    message: "Pick the node to migrate the VMs to.",
    path: ["target"],
  });
export type StartBulkInput = z.infer<typeof startBulkInput>;
