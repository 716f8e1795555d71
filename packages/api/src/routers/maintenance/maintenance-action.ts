import { AppError } from "@corral/core";
import type { z } from "zod";
import { audited } from "../../audit.ts";
import type { AuthenticatedContext } from "../../trpc.ts";
import type { maintenanceIdInput } from "./maintenance.schema.ts";

/** Continue or Stop a maintenance of this cluster, audited. */
export async function runMaintenanceAction(
  ctx: AuthenticatedContext,
  input: z.infer<typeof maintenanceIdInput>,
  action: "continue" | "stop",
) {
  await ctx.server.recovered;
  const service = ctx.server.services.maintenance;
  const entry = await service.store.get(input.id);
  if (entry?.state.clusterId !== input.clusterId)
    throw new AppError("NOT_FOUND", "No such maintenance in this cluster.");
  return audited(
    ctx,
    `cluster.rolling-maintenance.${action}`,
    { ...input },
    () => service[action]({ id: input.id, actor: { id: ctx.user.id, name: ctx.user.email } }),
    { clusterId: input.clusterId },
  );
}
