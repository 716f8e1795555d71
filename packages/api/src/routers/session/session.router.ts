import { authenticatedProcedure, publicProcedure, router } from "../../trpc.ts";
import { changePasswordHandler } from "./change-password.handler.ts";
import { changePasswordInput } from "./change-password.schema.ts";

export const sessionRouter = router({
  /** The signed-in operator, or null: the shell decides what to show from it. */
  current: publicProcedure.query(({ ctx }) => ctx.user),
  changePassword: authenticatedProcedure.input(changePasswordInput).mutation(changePasswordHandler),
});
