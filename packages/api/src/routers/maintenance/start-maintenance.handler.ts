import { audited } from "../../audit.ts";
import type { AuthenticatedContext } from "../../trpc.ts";
import type { StartMaintenanceInput } from "./maintenance.schema.ts";

/** Starts a rolling maintenance under the cluster's lease; it runs in the background. */
export async function startMaintenanceHandler({
  ctx,
  input,
}: {
  ctx: AuthenticatedContext;
  input: StartMaintenanceInput;
}) {
  await ctx.server.recovered;
  return audited(
    ctx,
    "cluster.rolling-maintenance",
    { ...input },
    () =>
      ctx.server.services.maintenance.start({
        ...input,
        actor: { id: ctx.user.id, name: ctx.user.email },
      }),
    { clusterId: input.clusterId },
  );
}
