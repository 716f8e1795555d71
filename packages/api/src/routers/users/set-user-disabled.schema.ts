import { z } from "zod";
import { userId } from "./user-id.schema.ts";

export const setUserDisabledInput = z.object({ userId, disabled: z.boolean() });
export type SetUserDisabledInput = z.infer<typeof setUserDisabledInput>;
