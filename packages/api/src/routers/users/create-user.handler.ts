import { audited } from "../../audit.ts";
import { callAuth } from "../../auth/auth-error.ts";
import type { AuthenticatedContext } from "../../trpc.ts";
import type { CreateUserInput } from "./create-user.schema.ts";

export async function createUserHandler({
  ctx,
  input,
}: {
  ctx: AuthenticatedContext;
  input: CreateUserInput;
}) {
  return audited(ctx, "user.create", input, async () => {
    const { user } = await callAuth(() =>
      ctx.server.auth.api.createUser({ body: input, headers: ctx.headers }),
    );
    return { id: user.id, email: user.email };
  });
}
