import type { NodeTestResult } from "@corral/core";
import type { AuthenticatedContext } from "../../trpc.ts";
import { onboardingFor } from "../onboarding/onboarding-service.ts";

/** Results kept per cluster for the matrix: the newest per VM and node are what it shows. */
const MATRIX_WINDOW = 2_000;

/**
 * The VM x node matrix: per cell the newest test (absent: not tested), plus each VM's open
 * onboarding job, through which a VM not yet managed is tested again.
 */
export async function testMatrixHandler({
  ctx,
  input,
}: {
  ctx: AuthenticatedContext;
  input: { clusterId: string };
}) {
  const service = await onboardingFor(ctx.server);
  const nodes = (await service.nodesOf(input.clusterId)).map((node) => node.id);
  const results = await service.store.listTestResults({
    clusterId: input.clusterId,
    limit: MATRIX_WINDOW,
  });
  const cells = new Map<string, NodeTestResult>();
  for (const result of results) {
    const key = `${result.vm}\u0000${result.node}`;
    if (!cells.has(key)) cells.set(key, result);
  }
  const vms = [...new Set(results.map((r) => r.vm))].sort();
  const jobs = await service.store.listJobs({ clusterId: input.clusterId, limit: 500 });
  return {
    nodes,
    rows: vms.map((vm) => {
      const latestJob = jobs.find((job) => job.vm === vm) ?? null;
      return {
        vm,
        job: latestJob
          ? { id: latestJob.id, state: latestJob.state, managed: latestJob.state === "succeeded" }
          : null,
        cells: nodes.map((node) => cells.get(`${vm}\u0000${node}`) ?? null),
      };
    }),
  };
}
