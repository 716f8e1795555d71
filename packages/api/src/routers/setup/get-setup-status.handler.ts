import type { Context } from "../../trpc.ts";
import { needsSetupToken } from "./setup-token.ts";

/** On an empty database the UI asks for the first admin instead of showing the sign-in form. */
export async function getSetupStatusHandler({ ctx }: { ctx: Context }) {
  const needsFirstAdmin = (await ctx.server.operators.count()) === 0;
  return {
    needsFirstAdmin,
    setupTokenRequired: needsFirstAdmin && needsSetupToken(ctx.clientAddress),
  };
}
