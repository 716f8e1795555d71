import { publicProcedure, router } from "../../trpc.ts";

export const sessionRouter = router({
  /** The signed-in operator, or null: the shell decides what to show from it. */
  current: publicProcedure.query(({ ctx }) => ctx.user),
});
