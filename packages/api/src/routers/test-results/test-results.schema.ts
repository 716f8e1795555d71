import { plainText } from "@corral/core/schemas";
import { z } from "zod";

export const testMatrixInput = z.object({ clusterId: z.string().min(1).max(100) });
export const testHistoryInput = z.object({
  clusterId: z.string().min(1).max(100),
  vm: z.string().min(1).max(64),
});
export const retestIdInput = z.object({ retestId: z.uuid() });
export const allowedNodesInput = testHistoryInput.extend({
  next: z.array(plainText.min(1).max(253)).min(1, "Allow at least one node.").max(32),
});
