import { publicProcedure, router } from "../../trpc.ts";
import { createFirstAdminHandler } from "./create-first-admin.handler.ts";
import { createFirstAdminInput } from "./create-first-admin.schema.ts";
import { getSetupStatusHandler } from "./get-setup-status.handler.ts";

export const setupRouter = router({
  status: publicProcedure.query(getSetupStatusHandler),
  createFirstAdmin: publicProcedure.input(createFirstAdminInput).mutation(createFirstAdminHandler),
});
