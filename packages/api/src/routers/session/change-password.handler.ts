import { audited } from "../../audit.ts";
import { callAuth } from "../../auth/auth-error.ts";
import type { AuthenticatedContext } from "../../trpc.ts";
import type { ChangePasswordInput } from "./change-password.schema.ts";

/**
 * The signed-in operator changes their own password: every other session of theirs ends (one
 * opened with the old password elsewhere); this one stays signed in.
 */
export async function changePasswordHandler({
  ctx,
  input,
}: {
  ctx: AuthenticatedContext;
  input: ChangePasswordInput;
}) {
  return audited(ctx, "session.change-password", {}, async () => {
    await callAuth(() => ctx.server.auth.api.changePassword({ body: input, headers: ctx.headers }));
    await callAuth(() => ctx.server.auth.api.revokeOtherSessions({ headers: ctx.headers }));
  });
}
