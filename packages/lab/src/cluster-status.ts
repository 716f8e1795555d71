import { XMLParser } from "fast-xml-parser";
import type { LabInfo, LabNode } from "./lab-info.ts";
import { runOnLabNode } from "./run-on-lab-node.ts";

export interface ClusterStatus {
  quorum: boolean;
  online: string[];
  /** Resource id -> role (Started, Stopped, ...) and the nodes it is active on. */
  resources: Record<string, { role: string; nodes: string[] }>;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "",
  isArray: (name) => name === "node" || name === "resource",
});

interface CrmMonXml {
  "pacemaker-result"?: {
    summary?: { current_dc?: { with_quorum?: string } };
    nodes?: { node?: { name: string; online: string }[] };
    resources?: { resource?: { id: string; role: string; node?: { name: string }[] }[] };
  };
}

/**
 * Reads `crm_mon --output-as=xml` (pacemaker 2.1): quorum, online nodes, and the top-level
 * primitive resources (the lab's tests create no groups or clones).
 */
export function parseCrmMonXml(xml: string): ClusterStatus {
  const result = (parser.parse(xml) as CrmMonXml)["pacemaker-result"];
  const resources: ClusterStatus["resources"] = {};
  for (const resource of result?.resources?.resource ?? []) {
    resources[resource.id] = {
      role: resource.role,
      nodes: (resource.node ?? []).map((node) => node.name),
    };
  }
  return {
    quorum: result?.summary?.current_dc?.with_quorum === "true",
    online: (result?.nodes?.node ?? [])
      .filter((node) => node.online === "true")
      .map((node) => node.name),
    resources,
  };
}

/** The cluster as `viewer` sees it. */
export async function readClusterStatus(info: LabInfo, viewer: LabNode): Promise<ClusterStatus> {
  return parseCrmMonXml(await runOnLabNode(info, viewer, "crm_mon --one-shot --output-as=xml"));
}
