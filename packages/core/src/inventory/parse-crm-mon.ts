import { AppError } from "../errors.ts";
import { attr, element, elements, flag, readXml, type XmlElement } from "../xml/read-xml.ts";

/** How the UI summarises a node: the first that applies, in this order. */
export type NodeState = "offline" | "unclean" | "pending" | "maintenance" | "standby" | "online";

export interface ClusterNodeStatus {
  name: string;
  id: string;
  state: NodeState;
  online: boolean;
  standby: boolean;
  maintenance: boolean;
  isDc: boolean;
  resourcesRunning: number;
}

export interface ResourceStatus {
  id: string;
  /** e.g. ocf:heartbeat:VirtualDomain */
  agent: string;
  role: string;
  active: boolean;
  failed: boolean;
  managed: boolean;
  blocked: boolean;
  /** Nodes it runs on (a migrating or multi-active resource can show several). */
  nodes: string[];
  /** The group or clone it belongs to, when it does. */
  parent: string | null;
}

export interface FailedAction {
  resource: string;
  operation: string;
  node: string;
  exitCode: number;
  exitStatus: string;
  exitReason: string;
  at: string;
}

export interface FailCount {
  node: string;
  resource: string;
  /** 1000000 means INFINITY: the resource is banned from the node until a cleanup. */
  failCount: number;
  lastFailure: string | null;
}

export interface ClusterStatus {
  dc: string | null;
  quorate: boolean;
  maintenanceMode: boolean;
  stonithEnabled: boolean;
  lastChange: string | null;
  nodes: ClusterNodeStatus[];
  resources: ResourceStatus[];
  failedActions: FailedAction[];
  failCounts: FailCount[];
}

const LISTS = ["node", "resource", "group", "clone", "bundle", "resource_history", "failure"];

/** Reads `crm_mon --output-as=xml`. Malformed or foreign XML is PARSE_ERROR. */
export function parseCrmMon(xml: string): ClusterStatus {
  const root = element(readXml(xml, "crm_mon output", LISTS)["pacemaker-result"]);
  const summary = element(root?.summary);
  if (!root || !summary) {
    throw new AppError("PARSE_ERROR", "crm_mon output has no <pacemaker-result><summary>.");
  }
  const dc = element(summary.current_dc);
  const options = element(summary.cluster_options);
  const lastChange = element(summary.last_change);
  return {
    dc: flag(dc, "present") ? (attr(dc, "name") ?? null) : null,
    quorate: flag(dc, "with_quorum"),
    maintenanceMode: flag(options, "maintenance-mode"),
    stonithEnabled: flag(options, "stonith-enabled"),
    lastChange: attr(lastChange, "time") ?? null,
    nodes: elements(element(root.nodes)?.node).map(readNode),
    resources: readResources(element(root.resources), null),
    failedActions: elements(element(root.failures)?.failure).map(readFailure),
    failCounts: elements(element(root.node_history)?.node).flatMap(readFailCounts),
  };
}

function readNode(node: XmlElement): ClusterNodeStatus {
  const online = flag(node, "online");
  const standby = flag(node, "standby");
  const maintenance = flag(node, "maintenance");
  const state: NodeState = !online
    ? "offline"
    : flag(node, "unclean")
      ? "unclean"
      : flag(node, "pending")
        ? "pending"
        : maintenance
          ? "maintenance"
          : standby
            ? "standby"
            : "online";
  return {
    name: attr(node, "name") ?? "",
    id: attr(node, "id") ?? "",
    state,
    online,
    standby,
    maintenance,
    isDc: flag(node, "is_dc"),
    resourcesRunning: Number(attr(node, "resources_running") ?? 0),
  };
}

/** Primitives at any depth; groups, clones and bundles only name their members' parent. */
function readResources(container: XmlElement | undefined, parent: string | null): ResourceStatus[] {
  if (!container) return [];
  const primitives = elements(container.resource).map((resource) => ({
    id: attr(resource, "id") ?? "",
    agent: attr(resource, "resource_agent") ?? "",
    role: attr(resource, "role") ?? "",
    active: flag(resource, "active"),
    failed: flag(resource, "failed"),
    managed: flag(resource, "managed"),
    blocked: flag(resource, "blocked"),
    nodes: elements(resource.node).map((node) => attr(node, "name") ?? ""),
    parent,
  }));
  const nested = ["group", "clone", "bundle"].flatMap((kind) =>
    elements(container[kind]).flatMap((child) => readResources(child, attr(child, "id") ?? null)),
  );
  return [...primitives, ...nested];
}

function readFailure(failure: XmlElement): FailedAction {
  const opKey = attr(failure, "op_key") ?? "";
  const task = attr(failure, "task") ?? "";
  // op_key is <resource>_<task>_<interval>; the resource id and the task (migrate_to) may both
  // contain underscores, so the known task is what gets cut off.
  const suffix = `_${task}_`;
  const cut = opKey.lastIndexOf(suffix);
  const resource = task && cut > 0 ? opKey.slice(0, cut) : opKey.replace(/_[^_]+_\d+$/, "");
  return {
    resource,
    operation: attr(failure, "task") ?? "",
    node: attr(failure, "node") ?? "",
    exitCode: Number(attr(failure, "exitcode")),
    exitStatus: attr(failure, "exitstatus") ?? "",
    exitReason: attr(failure, "exitreason") ?? "",
    at: attr(failure, "last-rc-change") ?? "",
  };
}

function readFailCounts(node: XmlElement): FailCount[] {
  return elements(node.resource_history)
    .filter((history) => attr(history, "fail-count") !== undefined)
    .map((history) => ({
      node: attr(node, "name") ?? "",
      resource: attr(history, "id") ?? "",
      failCount: Number(attr(history, "fail-count")),
      lastFailure: attr(history, "last-failure") ?? null,
    }));
}
