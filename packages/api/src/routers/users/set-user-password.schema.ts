import { z } from "zod";
import { operatorFields } from "./create-user.schema.ts";
import { userId } from "./user-id.schema.ts";

export const setUserPasswordInput = z.object({ userId, password: operatorFields.shape.password });
export type SetUserPasswordInput = z.infer<typeof setUserPasswordInput>;
