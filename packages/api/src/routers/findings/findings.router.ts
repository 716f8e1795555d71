import { AppError, oneClickFix } from "@corral/core";
import { audited } from "../../audit.ts";
import { operatorProcedure, router, viewerProcedure } from "../../trpc.ts";
import { auditedVmAction } from "../vms/audited-vm-action.ts";
import { changeResourceHandler } from "../vms/change-resource.handler.ts";
import { runVmActionHandler } from "../vms/run-vm-action.handler.ts";
import { acknowledgeFindingInput, findingIdInput, listFindingsInput } from "./findings.schema.ts";

export const findingsRouter = router({
  /** The findings, each with the one-click fix it offers now (null: run its commands by hand). */
  list: viewerProcedure.input(listFindingsInput).query(async ({ ctx, input }) => {
    const found = await ctx.server.findings.list(input);
    const inventories = ctx.server.clusterMonitor.snapshots();
    const inventoryOf = (clusterId: string) =>
      inventories.find((inventory) => inventory.clusterId === clusterId) ?? null;
    return found.map((finding) => ({
      ...finding,
      oneClick: finding.resolvedAt ? null : oneClickFix(finding, inventoryOf(finding.clusterId)),
    }));
  }),
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
  /**
   * Runs the finding's one-click fix, as the action it is (audited and locked as that action).
   * The finding resolves when the watch sees the cluster changed, not because this returned.
   */
  fix: operatorProcedure.input(findingIdInput).mutation(async ({ ctx, input }) => {
    const finding = await ctx.server.findings.find(input.id);
    if (!finding) throw new AppError("NOT_FOUND", "No such finding.");
    if (finding.resolvedAt) throw new AppError("CONFLICT", "The finding resolved meanwhile.");
    const clusterId = finding.clusterId;
    const fix = oneClickFix(finding, await ctx.server.clusterMonitor.inventory(clusterId));
    if (!fix) {
      throw new AppError(
        "INVALID_INPUT",
        "This finding has no one-click fix: run the commands it shows by hand.",
      );
    }
    switch (fix.kind) {
      case "vm-action":
        return runVmActionHandler({
          ctx,
          input: { kind: "vm", clusterId, vm: fix.vm, action: fix.action },
        });
      case "cluster-action":
        return runVmActionHandler({
          ctx,
          input: { kind: "cluster", clusterId, action: fix.action },
        });
      case "meta":
        return changeResourceHandler({
          ctx,
          input: { clusterId, vm: fix.vm, change: { kind: "meta", values: fix.values } },
        });
      case "autostart-off": {
        const service = ctx.server.services.vms;
        const node = (await service.nodesOf(clusterId)).find((each) => each.id === fix.node);
        if (!node) throw new AppError("NOT_FOUND", `${fix.node} is not a node of this cluster.`);
        return auditedVmAction(
          ctx,
          service,
          "vm.autostart-off",
          { clusterId, vm: fix.vm, node: fix.node },
          async () => {
            const started = Date.now();
            const run = await ctx.server.clusterServices.pool.run(node, fix.argv, {
              actorId: ctx.user.id,
              clusterId,
              vm: fix.vm,
            });
            if (!run.ok) throw run.error;
            return { durationMs: Date.now() - started, output: run.value.stdout.trim() };
          },
          fix.node,
        );
      }
    }
  }),
});
