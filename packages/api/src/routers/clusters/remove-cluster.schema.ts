import { z } from "zod";

export const removeClusterInput = z.object({ clusterId: z.string().min(1).max(100) });
export type RemoveClusterInput = z.infer<typeof removeClusterInput>;
