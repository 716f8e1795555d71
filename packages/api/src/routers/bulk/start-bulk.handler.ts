import { audited } from "../../audit.ts";
import type { AuthenticatedContext } from "../../trpc.ts";
import type { StartBulkInput } from "./bulk.schema.ts";

/** Starts one action on the VMs a filter shows; it runs in the background, a result per VM. */
export async function startBulkHandler({
  ctx,
  input,
}: {
  ctx: AuthenticatedContext;
  input: StartBulkInput;
}) {
  await ctx.server.recovered;
  return audited(
    ctx,
    "cluster.bulk",
    { ...input },
    () =>
      ctx.server.services.bulk.start({
        ...input,
        actor: { id: ctx.user.id, name: ctx.user.email },
      }),
    { clusterId: input.clusterId },
  );
}
