import { z } from "zod";
import { operatorFields } from "../users/create-user.schema.ts";

export const createFirstAdminInput = operatorFields.extend({
  /** Needed from another machine than Corral's: the server log prints it. */
  setupToken: z.string().trim().max(100).optional(),
});
export type CreateFirstAdminInput = z.infer<typeof createFirstAdminInput>;
