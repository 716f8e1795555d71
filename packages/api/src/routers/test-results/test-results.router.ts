import { AppError, quoteArgv } from "@corral/core";
import { audited } from "../../audit.ts";
import { operatorProcedure, router, viewerProcedure } from "../../trpc.ts";
import { testMatrixHandler } from "./test-matrix.handler.ts";
import {
  allowedNodesInput,
  retestIdInput,
  testHistoryInput,
  testMatrixInput,
} from "./test-results.schema.ts";

export const testResultsRouter = router({
  matrix: viewerProcedure.input(testMatrixInput).query(testMatrixHandler),
  /** Every test of one VM, newest first: commands, output and timings per run. */
  history: viewerProcedure.input(testHistoryInput).query(async ({ ctx, input }) => {
    await ctx.server.recovered;
    const service = ctx.server.services.onboarding;
    return service.store.listTestResults({ ...input, limit: 200 });
  }),
  /** What a re-test of a managed VM runs, for the downtime warning. */
  retestPlan: viewerProcedure.input(testHistoryInput).query(async ({ ctx, input }) => {
    await ctx.server.recovered;
    const service = ctx.server.services.retests;
    return service.plan(input.clusterId, input.vm);
  }),
  /** Disables the resource, tests each allowed node, enables it again; answered at once. */
  retest: operatorProcedure.input(testHistoryInput).mutation(async ({ ctx, input }) => {
    await ctx.server.recovered;
    const service = ctx.server.services.retests;
    return audited(
      ctx,
      "vm.retest",
      { ...input },
      () => service.start({ ...input, actor: { id: ctx.user.id, name: ctx.user.email } }),
      { clusterId: input.clusterId, vm: input.vm },
    );
  }),
  /** What changing the VM's allowed nodes runs (copy, test on the added nodes, bind). */
  allowedNodesPlan: operatorProcedure.input(allowedNodesInput).query(async ({ ctx, input }) => {
    await ctx.server.recovered;
    const service = ctx.server.services.retests;
    const plan = await service.allowedNodesPlan({ ...input, actorId: ctx.user.id });
    return { ...plan, commands: plan.commands.map(quoteArgv) };
  }),
  /** Changes the allowed nodes as planned; answered at once, followed like a re-test. */
  changeAllowedNodes: operatorProcedure
    .input(allowedNodesInput)
    .mutation(async ({ ctx, input }) => {
      await ctx.server.recovered;
      const service = ctx.server.services.retests;
      return audited(
        ctx,
        "vm.allowed-nodes",
        { ...input },
        () =>
          service.changeAllowedNodes({
            ...input,
            actor: { id: ctx.user.id, name: ctx.user.email },
          }),
        { clusterId: input.clusterId, vm: input.vm },
      );
    }),
  /** The re-test's phase, node under test and results so far; polled while it runs. */
  retestStatus: viewerProcedure.input(retestIdInput).query(async ({ ctx, input }) => {
    await ctx.server.recovered;
    const service = ctx.server.services.retests;
    const view = service.view(input.retestId);
    if (!view) throw new AppError("NOT_FOUND", `No recent re-test ${input.retestId}.`);
    return view;
  }),
});
