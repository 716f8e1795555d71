import { isRole } from "../../auth/roles.ts";
import type { AuthenticatedContext } from "../../trpc.ts";

export async function listUsersHandler({ ctx }: { ctx: AuthenticatedContext }) {
  const operators = await ctx.server.operators.list();
  return operators.map((operator) => ({
    ...operator,
    role: isRole(operator.role) ? operator.role : "viewer",
    isSelf: operator.id === ctx.user.id,
  }));
}
