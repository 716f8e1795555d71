import { z } from "zod";
import { nodeAccessSchema } from "./node-access.types.ts";

export const addClusterInput = z.object({
  /** One node is enough: Corral reads the others from its membership and offers them. */
  nodes: z.array(nodeAccessSchema).min(1).max(32),
});
export type AddClusterInput = z.infer<typeof addClusterInput>;

export interface AddedNodes {
  clusterId: string;
  clusterName: string;
  /** The nodes registered by this call, by node name. */
  added: string[];
  /** A registered node whose credentials the offered members can reuse (addNodes). */
  credentialsNodeId: string;
  /** Members the cluster reports that Corral does not know yet: offered next. */
  otherMembers: string[];
}
