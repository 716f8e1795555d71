import { z } from "zod";
import { hostKeySchema } from "./node-access.types.ts";

export const replaceHostKeyInput = z.object({
  nodeId: z.string().min(1).max(100),
  /** The new key exactly as the admin saw and confirmed it. */
  hostKey: hostKeySchema,
});
export type ReplaceHostKeyInput = z.infer<typeof replaceHostKeyInput>;
