import { z } from "zod";
import { userId } from "./user-id.schema.ts";

export const removeUserInput = z.object({ userId });
export type RemoveUserInput = z.infer<typeof removeUserInput>;
