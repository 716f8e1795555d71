import type { z } from "zod";
import { operatorFields } from "../users/create-user.schema.ts";

export const createFirstAdminInput = operatorFields;
export type CreateFirstAdminInput = z.infer<typeof createFirstAdminInput>;
