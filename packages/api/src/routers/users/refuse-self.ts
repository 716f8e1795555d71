import { AppError } from "@corral/core";
import type { AuthenticatedContext } from "../../trpc.ts";

/**
 * An admin cannot demote, disable or remove themselves: another admin has to, so Corral is never
 * left without an admin by one click.
 */
export function refuseSelf(ctx: AuthenticatedContext, userId: string, what: string): void {
  if (userId === ctx.user.id) {
    throw new AppError("CONFLICT", `You cannot ${what} your own account; ask another admin.`);
  }
}
