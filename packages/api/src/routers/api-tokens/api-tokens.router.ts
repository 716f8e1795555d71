import { randomUUID } from "node:crypto";
import { AppError } from "@corral/core";
import { audited } from "../../audit.ts";
import { generateApiToken } from "../../auth/api-token.ts";
import { roleAtLeast } from "../../auth/roles.ts";
import { adminProcedure, operatorProcedure, router } from "../../trpc.ts";
import { createApiTokenInput, revokeApiTokenInput } from "./api-tokens.schema.ts";

export const apiTokensRouter = router({
  /** The caller's own tokens. */
  mine: operatorProcedure.query(({ ctx }) => ctx.server.apiTokens.list({ userId: ctx.user.id })),
  /** Every operator's tokens. */
  list: adminProcedure.query(({ ctx }) => ctx.server.apiTokens.list()),
  /** A token acting as the caller, with the caller's role: answered once, never again. */
  create: operatorProcedure.input(createApiTokenInput).mutation(({ ctx, input }) =>
    audited(ctx, "api-token.create", input, async () => {
      const { token, tokenHash, prefix } = generateApiToken();
      const summary = await ctx.server.apiTokens.create({
        id: randomUUID(),
        name: input.name,
        userId: ctx.user.id,
        tokenHash,
        prefix,
      });
      return { token, summary };
    }),
  ),
  /** An admin revokes any token; an operator their own. */
  revoke: operatorProcedure.input(revokeApiTokenInput).mutation(async ({ ctx, input }) => {
    const token = await ctx.server.apiTokens.find(input.id);
    if (!token || (token.owner.id !== ctx.user.id && !roleAtLeast(ctx.user.role, "admin"))) {
      throw new AppError("NOT_FOUND", "No such API token.");
    }
    return audited(ctx, "api-token.revoke", { ...input, owner: token.owner.email }, async () => {
      if (!(await ctx.server.apiTokens.revoke(input.id, ctx.user.email))) {
        throw new AppError("CONFLICT", "The token was already revoked.");
      }
    });
  }),
});
