import { audited } from "../../audit.ts";
import { callAuth } from "../../auth/auth-error.ts";
import type { AuthenticatedContext } from "../../trpc.ts";
import { refuseSelf } from "./refuse-self.ts";
import type { SetUserDisabledInput } from "./set-user-disabled.schema.ts";

/** Disabling is better-auth's ban: the operator's sessions end and sign-in is refused. */
export async function setUserDisabledHandler({
  ctx,
  input,
}: {
  ctx: AuthenticatedContext;
  input: SetUserDisabledInput;
}) {
  const action = input.disabled ? "user.disable" : "user.enable";
  return audited(ctx, action, input, async () => {
    refuseSelf(ctx, input.userId, "disable");
    const { auth } = ctx.server;
    await callAuth(() =>
      input.disabled
        ? auth.api.banUser({
            body: { userId: input.userId, banReason: "Disabled by an admin" },
            headers: ctx.headers,
          })
        : auth.api.unbanUser({ body: { userId: input.userId }, headers: ctx.headers }),
    );
  });
}
