import { AppError } from "@corral/core";
import { audited } from "../../audit.ts";
import { callAuth } from "../../auth/auth-error.ts";
import type { Context } from "../../trpc.ts";
import type { CreateFirstAdminInput } from "./create-first-admin.schema.ts";

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
  if (!(await ctx.server.settings.claim(FIRST_ADMIN_CLAIM, new Date().toISOString()))) {
    throw alreadySetUp;
  }
  try {
    const { user } = await callAuth(() =>
      ctx.server.auth.api.createUser({ body: { ...input, role: "admin" } }),
    );
    const actor = { id: user.id, name: user.name, email: user.email, role: "admin" };
    await audited({ server: ctx.server, user: actor }, "setup.first-admin", input, async () => {});
    return { id: user.id, email: user.email };
  } catch (error) {
    await ctx.server.settings.release(FIRST_ADMIN_CLAIM);
    throw error;
  }
}
