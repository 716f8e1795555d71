import type { z } from "zod";
import type { AuthenticatedContext } from "../../trpc.ts";
import type { maintenanceIdInput } from "./maintenance.schema.ts";
import { runMaintenanceAction } from "./maintenance-action.ts";

/** Continue after the work on a node (a pause), or Resume a paused maintenance at its step. */
export function continueMaintenanceHandler({
  ctx,
  input,
}: {
  ctx: AuthenticatedContext;
  input: z.infer<typeof maintenanceIdInput>;
}) {
  return runMaintenanceAction(ctx, input, "continue");
}
