import { type ClusterStatus, parseCrmMon } from "@corral/core";
import type { LabInfo, LabNode } from "./lab-info.ts";
import { runOnLabNode } from "./run-on-lab-node.ts";

/** The cluster as `viewer` sees it, read with the product's own crm_mon parser. */
export async function readClusterStatus(info: LabInfo, viewer: LabNode): Promise<ClusterStatus> {
  return parseCrmMon(await runOnLabNode(info, viewer, "crm_mon --one-shot --output-as=xml"));
}

export function onlineNodeNames(status: ClusterStatus): string[] {
  return status.nodes.filter((node) => node.online).map((node) => node.name);
}

/** The one node `resourceId` is Started on; undefined while it is stopped, moving or multi-active. */
export function startedOn(status: ClusterStatus, resourceId: string): string | undefined {
  const resource = status.resources.find((candidate) => candidate.id === resourceId);
  return resource?.role === "Started" && resource.nodes.length === 1
    ? resource.nodes[0]
    : undefined;
}
