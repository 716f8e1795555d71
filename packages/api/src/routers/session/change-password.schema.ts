import { z } from "zod";
import { operatorFields } from "../users/create-user.schema.ts";

export const changePasswordInput = z.object({
  currentPassword: z.string().min(1, "Enter your current password").max(128),
  newPassword: operatorFields.shape.password,
});
export type ChangePasswordInput = z.infer<typeof changePasswordInput>;
