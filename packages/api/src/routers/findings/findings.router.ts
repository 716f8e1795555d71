import { AppError } from "@corral/core";
import { audited } from "../../audit.ts";
import { operatorProcedure, router, viewerProcedure } from "../../trpc.ts";
import { acknowledgeFindingInput, listFindingsInput } from "./findings.schema.ts";

export const findingsRouter = router({
  list: viewerProcedure
    .input(listFindingsInput)
    .query(({ ctx, input }) => ctx.server.findings.list(input)),
  acknowledge: operatorProcedure.input(acknowledgeFindingInput).mutation(async ({ ctx, input }) => {
    const finding = await ctx.server.findings.find(input.id);
    if (!finding) throw new AppError("NOT_FOUND", "No such finding.");
    return audited(
      ctx,
      input.until ? "finding.snooze" : "finding.acknowledge",
      input,
      async () => {
        const set = await ctx.server.findings.acknowledge(
          input.id,
          { id: ctx.user.id, name: ctx.user.email },
          input.reason,
          input.until,
        );
        if (!set) throw new AppError("CONFLICT", "The finding resolved meanwhile.");
      },
      { clusterId: finding.clusterId, vm: finding.vm, node: finding.node },
    );
  }),
});
