import { audited } from "../../audit.ts";
import { callAuth } from "../../auth/auth-error.ts";
import type { AuthenticatedContext } from "../../trpc.ts";
import { refuseSelf } from "./refuse-self.ts";
import type { RemoveUserInput } from "./remove-user.schema.ts";

/** Removes the account and its sessions; its command-log entries keep the name. */
export async function removeUserHandler({
  ctx,
  input,
}: {
  ctx: AuthenticatedContext;
  input: RemoveUserInput;
}) {
  return audited(ctx, "user.remove", input, async () => {
    refuseSelf(ctx, input.userId, "remove");
    await callAuth(() => ctx.server.auth.api.removeUser({ body: input, headers: ctx.headers }));
  });
}
