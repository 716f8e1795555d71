import { z } from "zod";

export const testMatrixInput = z.object({ clusterId: z.string().min(1).max(100) });
export const testHistoryInput = z.object({
  clusterId: z.string().min(1).max(100),
  vm: z.string().min(1).max(64),
});
export const retestIdInput = z.object({ retestId: z.uuid() });
