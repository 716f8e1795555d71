import { z } from "zod";
import { ROLES } from "../../auth/roles.ts";

/** The fields of a new operator; the first-admin form uses the same ones. */
export const operatorFields = z.object({
  name: z.string().trim().min(1, "Enter a name").max(100),
  email: z.email("Enter a valid email address").trim().toLowerCase().max(254),
  password: z.string().min(10, "Use at least 10 characters").max(128, "Use at most 128 characters"),
});

export const createUserInput = operatorFields.extend({ role: z.enum(ROLES) });
export type CreateUserInput = z.infer<typeof createUserInput>;
