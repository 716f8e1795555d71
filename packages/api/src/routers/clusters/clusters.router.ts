import { adminProcedure, operatorProcedure, router, viewerProcedure } from "../../trpc.ts";
import { addClusterHandler } from "./add-cluster.handler.ts";
import { addClusterInput } from "./add-cluster.schema.ts";
import { addNodesHandler } from "./add-nodes.handler.ts";
import { addNodesInput } from "./add-nodes.schema.ts";
import { probeHostKeyHandler } from "./probe-host-key.handler.ts";
import { probeHostKeyInput } from "./probe-host-key.schema.ts";
import { removeClusterHandler } from "./remove-cluster.handler.ts";
import { removeClusterInput } from "./remove-cluster.schema.ts";

export const clustersRouter = router({
  /** Every registered cluster's inventory: nodes, quorum, VMs (no credentials, ever). */
  list: viewerProcedure.query(({ ctx }) => ctx.server.clusterMonitor.inventories()),
  /**
   * The inventories now, then again whenever one changes (SSE). All subscribers share the
   * monitor's snapshots: a client costs one stream, not node commands.
   */
  live: viewerProcedure.subscription(async function* ({ ctx, signal }) {
    const monitor = ctx.server.clusterMonitor;
    const changes = monitor.changes(signal);
    yield await monitor.inventories();
    for await (const _ of changes) yield monitor.snapshots();
  }),
  probeHostKey: operatorProcedure.input(probeHostKeyInput).mutation(probeHostKeyHandler),
  add: operatorProcedure.input(addClusterInput).mutation(addClusterHandler),
  addNodes: operatorProcedure.input(addNodesInput).mutation(addNodesHandler),
  remove: adminProcedure.input(removeClusterInput).mutation(removeClusterHandler),
});
