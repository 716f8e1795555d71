import type { z } from "zod";
import type { AuthenticatedContext } from "../../trpc.ts";
import type { maintenanceIdInput } from "./maintenance.schema.ts";
import { runMaintenanceAction } from "./maintenance-action.ts";

/** Stop: at once when waiting or paused, else once the running step is over. */
export function stopMaintenanceHandler({
  ctx,
  input,
}: {
  ctx: AuthenticatedContext;
  input: z.infer<typeof maintenanceIdInput>;
}) {
  return runMaintenanceAction(ctx, input, "stop");
}
