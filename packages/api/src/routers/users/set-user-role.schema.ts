import { z } from "zod";
import { ROLES } from "../../auth/roles.ts";
import { userId } from "./user-id.schema.ts";

export const setUserRoleInput = z.object({ userId, role: z.enum(ROLES) });
export type SetUserRoleInput = z.infer<typeof setUserRoleInput>;
