import { type NodeTestResult, OPEN_STATES, stepBlocker } from "@corral/core";
import type { AuthenticatedContext } from "../../trpc.ts";

/** Results kept per cluster for the matrix: the newest per VM and node are what it shows. */
const MATRIX_WINDOW = 2_000;

/**
 * The VM x node matrix: per cell the newest test (absent: not tested), whether the node may run
 * the VM at all, and how to test it again: a managed VM (as the live inventory says, whatever
 * old jobs exist) through the managed re-test, one not managed yet through its open onboarding
 * job once the steps before the test succeeded.
 */
export async function testMatrixHandler({
  ctx,
  input,
}: {
  ctx: AuthenticatedContext;
  input: { clusterId: string };
}) {
  await ctx.server.recovered;
  const service = ctx.server.services.onboarding;
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
  const inventory = await ctx.server.clusterMonitor.inventory(input.clusterId);
  return {
    nodes,
    rows: vms.map((vm) => {
      const latestJob = jobs.find((job) => job.vm === vm) ?? null;
      const resource = inventory?.vms.find((candidate) => candidate.name === vm)?.resource ?? null;
      const allowed = resource?.allowedNodes ?? latestJob?.allowedNodes ?? nodes;
      const open = latestJob && OPEN_STATES.includes(latestJob.state);
      return {
        vm,
        managed: resource !== null,
        job:
          latestJob && open
            ? {
                id: latestJob.id,
                state: latestJob.state,
                canRetest: stepBlocker(latestJob, "test") === null,
              }
            : null,
        cells: nodes.map((node) => ({
          allowed: allowed.includes(node),
          result: cells.get(`${vm}\u0000${node}`) ?? null,
        })),
      };
    }),
  };
}
