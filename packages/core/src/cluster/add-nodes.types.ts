import { z } from "zod";
import { credentialsSchema, endpointSchema, hostKeySchema } from "./node-access.types.ts";

export const addNodesInput = z.object({
  clusterId: z.string().min(1).max(100),
  nodes: z
    .array(endpointSchema.extend({ hostKey: hostKeySchema }))
    .min(1)
    .max(32),
  /** The registered node whose credentials the new nodes use ("the same credentials"). */
  sameCredentialsAs: z.string().min(1).max(100).optional(),
  /** With sameCredentialsAs: the password typed again (a stored one is never sent elsewhere). */
  password: credentialsSchema.shape.password,
  /** Or credentials of their own. */
  credentials: credentialsSchema.optional(),
});
export type AddNodesInput = z.infer<typeof addNodesInput>;
