import { z } from "zod";

export const removeNodeInput = z.object({ nodeId: z.string().min(1).max(100) });
export type RemoveNodeInput = z.infer<typeof removeNodeInput>;
