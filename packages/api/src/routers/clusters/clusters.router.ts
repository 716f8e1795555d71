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
   * The live stream (SSE): every cluster's inventory on connect, then per change only what
   * changed, as JSON arrays of InventoryFeedMessage. Each message is encoded once and shared by
   * every subscriber: a client costs one stream and a string per change, not node commands.
   */
  live: viewerProcedure.subscription(async function* ({ ctx, signal }) {
    yield* ctx.server.clusterMonitor.feed(signal);
  }),
  probeHostKey: operatorProcedure.input(probeHostKeyInput).mutation(probeHostKeyHandler),
  add: operatorProcedure.input(addClusterInput).mutation(addClusterHandler),
  addNodes: operatorProcedure.input(addNodesInput).mutation(addNodesHandler),
  remove: adminProcedure.input(removeClusterInput).mutation(removeClusterHandler),
});
