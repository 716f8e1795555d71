import type { z } from "zod";
import type { AuthenticatedContext } from "../../trpc.ts";
import type { maintenancePlanInput } from "./maintenance.schema.ts";

/** What a rolling maintenance would do on each node, before the click. */
export async function maintenancePlanHandler({
  ctx,
  input,
}: {
  ctx: AuthenticatedContext;
  input: z.infer<typeof maintenancePlanInput>;
}) {
  await ctx.server.recovered;
  return ctx.server.services.maintenance.plan({
    ...input,
    actor: { id: ctx.user.id, name: ctx.user.email },
  });
}
