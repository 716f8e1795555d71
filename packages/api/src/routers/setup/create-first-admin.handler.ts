import { AppError } from "@corral/core";
import { audited } from "../../audit.ts";
import { callAuth } from "../../auth/auth-error.ts";
import type { Context } from "../../trpc.ts";
import type { CreateFirstAdminInput } from "./create-first-admin.schema.ts";
import { isSetupToken, needsSetupToken } from "./setup-token.ts";

const FIRST_ADMIN_CLAIM = "setup.first-admin";

/**
 * Creates the first admin of an empty database. Public by necessity, so it works exactly once:
 * the claim row lets one of any number of concurrent requests through, and only while no
 * operator exists. The new admin then signs in like everyone else.
 */
export async function createFirstAdminHandler({
  ctx,
  input,
}: {
  ctx: Context;
  input: CreateFirstAdminInput;
}) {
  const alreadySetUp = new AppError("CONFLICT", "Corral already has an admin: sign in instead.");
  if ((await ctx.server.operators.count()) > 0) throw alreadySetUp;
  const { setupToken, ...fields } = input;
  if (
    needsSetupToken(ctx.clientAddress) &&
    !isSetupToken(setupToken, ctx.server.config.authSecret)
  ) {
    throw new AppError(
      "FORBIDDEN",
      "Enter the setup token from Corral's server log (needed when not on Corral's own machine).",
    );
  }
  if (!(await ctx.server.settings.claim(FIRST_ADMIN_CLAIM, new Date().toISOString()))) {
    throw alreadySetUp;
  }
  try {
    const { user } = await callAuth(() =>
      ctx.server.auth.api.createUser({ body: { ...fields, role: "admin" } }),
    );
    const actor = { id: user.id, name: user.name, email: user.email, role: "admin" };
    await audited({ server: ctx.server, user: actor }, "setup.first-admin", fields, async () => {});
    return { id: user.id, email: user.email };
  } catch (error) {
    await ctx.server.settings.release(FIRST_ADMIN_CLAIM);
    throw error;
  }
}
