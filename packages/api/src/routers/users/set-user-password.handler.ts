import { audited } from "../../audit.ts";
import { callAuth } from "../../auth/auth-error.ts";
import type { AuthenticatedContext } from "../../trpc.ts";
import { refuseSelf } from "./refuse-self.ts";
import type { SetUserPasswordInput } from "./set-user-password.schema.ts";

/**
 * An admin sets another operator's password (a forgotten one, or one that leaked): every session
 * that operator had ends with the old password. Their own password admins change as anyone does.
 */
export async function setUserPasswordHandler({
  ctx,
  input,
}: {
  ctx: AuthenticatedContext;
  input: SetUserPasswordInput;
}) {
  return audited(ctx, "user.set-password", { userId: input.userId }, async () => {
    refuseSelf(ctx, input.userId, "reset the password of");
    const body = { userId: input.userId };
    await callAuth(() =>
      ctx.server.auth.api.setUserPassword({
        body: { ...body, newPassword: input.password },
        headers: ctx.headers,
      }),
    );
    await callAuth(() => ctx.server.auth.api.revokeUserSessions({ body, headers: ctx.headers }));
  });
}
