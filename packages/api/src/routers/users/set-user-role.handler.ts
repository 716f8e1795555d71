import { audited } from "../../audit.ts";
import { callAuth } from "../../auth/auth-error.ts";
import type { AuthenticatedContext } from "../../trpc.ts";
import { refuseSelf } from "./refuse-self.ts";
import type { SetUserRoleInput } from "./set-user-role.schema.ts";

export async function setUserRoleHandler({
  ctx,
  input,
}: {
  ctx: AuthenticatedContext;
  input: SetUserRoleInput;
}) {
  return audited(ctx, "user.set-role", input, async () => {
    refuseSelf(ctx, input.userId, "change the role of");
    await callAuth(() => ctx.server.auth.api.setRole({ body: input, headers: ctx.headers }));
  });
}
