import type { Context } from "../../trpc.ts";

/** On an empty database the UI asks for the first admin instead of showing the sign-in form. */
export async function getSetupStatusHandler({ ctx }: { ctx: Context }) {
  return { needsFirstAdmin: (await ctx.server.operators.count()) === 0 };
}
