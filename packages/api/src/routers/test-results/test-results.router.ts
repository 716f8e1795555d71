import { router, viewerProcedure } from "../../trpc.ts";
import { onboardingFor } from "../onboarding/onboarding-service.ts";
import { testMatrixHandler } from "./test-matrix.handler.ts";
import { testHistoryInput, testMatrixInput } from "./test-results.schema.ts";

export const testResultsRouter = router({
  matrix: viewerProcedure.input(testMatrixInput).query(testMatrixHandler),
  /** Every test of one VM, newest first: commands, output and timings per run. */
  history: viewerProcedure.input(testHistoryInput).query(async ({ ctx, input }) => {
    const service = await onboardingFor(ctx.server);
    return service.store.listTestResults({ ...input, limit: 200 });
  }),
});
