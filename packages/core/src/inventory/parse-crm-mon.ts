import { AppError } from "../errors.ts";
import { attr, element, elements, flag, readXml, texts, type XmlElement } from "../xml/read-xml.ts";

/**
 * How the UI summarises a node: the first that applies, in this order. Unclean comes before
 * offline: an unclean node is usually offline too, but it is one pacemaker must fence before it
 * recovers its resources, which "offline" would hide.
 */
export type NodeState = "unclean" | "offline" | "pending" | "maintenance" | "standby" | "online";

/**
 * member: a corosync node. remote: a pacemaker_remote node. guest: a remote node that runs
 * inside a resource of the cluster (a VM with remote-node, or a bundle replica).
 */
export type ClusterNodeType = "member" | "remote" | "guest";

export interface ClusterNodeStatus {
  name: string;
  id: string;
  type: ClusterNodeType;
  state: NodeState;
  online: boolean;
  unclean: boolean;
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
  /** In the status section but no longer in the configuration: pacemaker only stops it. */
  orphaned: boolean;
  /** The target-role meta attribute when one is set ("Stopped" for a disabled resource). */
  targetRole: string | null;
  /** Nodes it runs on (a migrating or multi-active resource can show several). */
  nodes: string[];
  /** The group, clone or bundle it belongs to, when it does. */
  parent: string | null;
  /**
   * Which instance of its clone (position among its clone's instances) or bundle (replica
   * number) this is: instances of an anonymous clone all have the same id.
   */
  instance: number | null;
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

/** One fencing of a node as Pacemaker's fencer recorded it (crm_mon's fence history). */
export interface FenceEvent {
  action: string;
  target: string;
  /** "success", "failed" or "pending". */
  status: string;
  /** The node that ran the fence device; null while pending. */
  delegate: string | null;
  /** Who asked (a node's controller, stonith_admin, ...). */
  client: string;
  exitReason: string;
  /** When it completed, as crm_mon writes it ("2026-11-29 20:57:40Z"); null while pending. */
  completed: string | null;
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
  /** Newest first, as crm_mon lists it. */
  fenceHistory: FenceEvent[];
}

/**
 * Whether crm_mon's resource_agent is VirtualDomain from any OCF provider (heartbeat ships it;
 * sites copy it under their own provider). Older pacemaker writes the class with a double colon.
 */
export function isVirtualDomain(agent: string): boolean {
  const parts = agent.split(":").filter(Boolean);
  return parts.length === 3 && parts[0] === "ocf" && parts[2] === "VirtualDomain";
}

const LISTS = [
  "node",
  "resource",
  "group",
  "clone",
  "bundle",
  "replica",
  "resource_history",
  "failure",
  "error",
  "fence_event",
  "item",
];

/**
 * Reads `crm_mon --output-as=xml`. crm_mon's own error document (no cluster, no CIB) is
 * COMMAND_FAILED with crm_mon's words; malformed or foreign XML is PARSE_ERROR.
 */
export function parseCrmMon(xml: string): ClusterStatus {
  const root = element(readXml(xml, "crm_mon output", LISTS)["pacemaker-result"]);
  const summary = element(root?.summary);
  const failure = root && !summary ? errorDocument(root) : null;
  if (failure) throw failure;
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
    // Pacemaker 3 renamed stonith-enabled to fencing-enabled; crm_mon prints the one it knows.
    stonithEnabled:
      attr(options, "fencing-enabled") !== undefined
        ? flag(options, "fencing-enabled")
        : flag(options, "stonith-enabled"),
    lastChange: attr(lastChange, "time") ?? null,
    nodes: elements(element(root.nodes)?.node).map(readNode),
    resources: readResources(element(root.resources), null, null),
    failedActions: elements(element(root.failures)?.failure).map(readFailure),
    failCounts: elements(element(root.node_history)?.node).flatMap(readFailCounts),
    fenceHistory: elements(element(root.fence_history)?.fence_event).map(readFenceEvent),
  };
}

/**
 * Reads `stonith_admin --history '*' --verbose --output-as=xml`: the fencer's events, newest
 * first, as crm_mon lists them in its fence_history.
 */
export function parseFenceHistory(xml: string): FenceEvent[] {
  const root = element(readXml(xml, "stonith_admin output", LISTS)["pacemaker-result"]);
  const failure = root ? errorDocument(root) : null;
  if (failure) throw failure;
  if (!root) throw new AppError("PARSE_ERROR", "stonith_admin output has no <pacemaker-result>.");
  return elements(element(root.list)?.fence_event).map(readFenceEvent);
}

/** Reads `stonith_admin --list NODE --output-as=xml`: the devices that can fence that node. */
export function parseFenceDeviceList(xml: string): string[] {
  const root = element(readXml(xml, "stonith_admin output", LISTS)["pacemaker-result"]);
  const failure = root ? errorDocument(root) : null;
  if (failure) throw failure;
  if (!root) throw new AppError("PARSE_ERROR", "stonith_admin output has no <pacemaker-result>.");
  return texts(element(root.list)?.item);
}

/**
 * The failure crm_mon reports in its own XML (with a non-zero exit, or exit 0 and no summary
 * when it cannot read the CIB), or null when the document is not one.
 */
export function crmMonError(xml: string): AppError | null {
  const root = element(readXml(xml, "crm_mon output", LISTS)["pacemaker-result"]);
  return root ? errorDocument(root) : null;
}

function errorDocument(root: XmlElement): AppError | null {
  const status = element(root.status);
  const errors = texts(element(status?.errors)?.error);
  if (!status || (errors.length === 0 && attr(status, "code") === "0")) return null;
  return new AppError(
    "COMMAND_FAILED",
    `crm_mon: ${[...errors, attr(status, "message") ?? ""].filter(Boolean).join("; ")} (code ${attr(status, "code") ?? "?"})`,
  );
}

function readNode(node: XmlElement): ClusterNodeStatus {
  const online = flag(node, "online");
  const unclean = flag(node, "unclean");
  const standby = flag(node, "standby");
  const maintenance = flag(node, "maintenance");
  const state: NodeState = unclean
    ? "unclean"
    : !online
      ? "offline"
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
    type: nodeType(node),
    state,
    online,
    unclean,
    standby,
    maintenance,
    isDc: flag(node, "is_dc"),
    resourcesRunning: Number(attr(node, "resources_running") ?? 0),
  };
}

function nodeType(node: XmlElement): ClusterNodeType {
  if (attr(node, "type") !== "remote") return "member";
  // crm_mon names the resource a guest lives in; a pacemaker_remote node has none.
  return attr(node, "id_as_resource") ? "guest" : "remote";
}

/**
 * Primitives at any depth; groups, clones and bundles only name their members' parent. A
 * bundle's members sit in one <replica> per replica; a clone's instances are told apart by
 * their position, as an anonymous clone repeats the same id for each.
 */
function readResources(
  container: XmlElement | undefined,
  parent: string | null,
  instance: number | null,
  isClone = false,
): ResourceStatus[] {
  if (!container) return [];
  const primitives = elements(container.resource).map((resource, index) =>
    readResource(resource, parent, isClone ? index : instance),
  );
  const groups = elements(container.group).flatMap((group, index) =>
    readResources(group, attr(group, "id") ?? null, isClone ? index : instance),
  );
  const clones = elements(container.clone).flatMap((clone) =>
    readResources(clone, attr(clone, "id") ?? null, null, true),
  );
  const bundles = elements(container.bundle).flatMap((bundle) =>
    elements(bundle.replica).flatMap((replica) =>
      readResources(replica, attr(bundle, "id") ?? null, Number(attr(replica, "id"))),
    ),
  );
  return [...primitives, ...groups, ...clones, ...bundles];
}

function readResource(
  resource: XmlElement,
  parent: string | null,
  instance: number | null,
): ResourceStatus {
  return {
    id: attr(resource, "id") ?? "",
    agent: attr(resource, "resource_agent") ?? "",
    role: attr(resource, "role") ?? "",
    active: flag(resource, "active"),
    failed: flag(resource, "failed"),
    managed: flag(resource, "managed"),
    blocked: flag(resource, "blocked"),
    orphaned: flag(resource, "orphaned"),
    targetRole: attr(resource, "target_role") ?? null,
    nodes: elements(resource.node).map((node) => attr(node, "name") ?? ""),
    parent,
    instance,
  };
}

/** Pacemaker's operation names, longest first so migrate_to is not read as a task "to". */
const TASKS = [
  "migrate_from",
  "migrate_to",
  "reload-agent",
  "validate-all",
  "meta-data",
  "monitor",
  "promote",
  "demote",
  "notify",
  "reload",
  "cancel",
  "start",
  "stop",
];

/**
 * The resource and operation of a failed action. crm_mon writes op_key (<resource>_<task>_<interval>)
 * or, for a history entry recorded without an operation key, its id instead: <resource>_last_0,
 * <resource>_last_failure_0, or the op key for a recurring operation. task is missing when the
 * entry has no last-rc-change. Resource ids and tasks (migrate_to) may both hold underscores,
 * so a known task is what gets cut off.
 */
function failedOperation(failure: XmlElement): { resource: string; operation: string } {
  const task = attr(failure, "task");
  const key = attr(failure, "op_key") ?? attr(failure, "id") ?? "";
  const interval = key.match(/_\d+$/)?.[0];
  const head = interval ? key.slice(0, -interval.length) : key;
  const lastEntry = head.match(/^(.+)_last(?:_failure)?$/s);
  if (lastEntry?.[1] && attr(failure, "op_key") === undefined) {
    return { resource: lastEntry[1], operation: task ?? "" };
  }
  for (const candidate of task ? [task, ...TASKS] : TASKS) {
    if (interval && head.length > candidate.length + 1 && head.endsWith(`_${candidate}`)) {
      return { resource: head.slice(0, -candidate.length - 1), operation: task ?? candidate };
    }
  }
  return { resource: key, operation: task ?? "" };
}

function readFenceEvent(event: XmlElement): FenceEvent {
  return {
    action: attr(event, "action") ?? "",
    target: attr(event, "target") ?? "",
    status: attr(event, "status") ?? "",
    delegate: attr(event, "delegate") ?? null,
    client: attr(event, "client") ?? "",
    exitReason: attr(event, "exit-reason") ?? "",
    completed: attr(event, "completed") ?? null,
  };
}

function readFailure(failure: XmlElement): FailedAction {
  return {
    ...failedOperation(failure),
    node: attr(failure, "node") ?? "",
    exitCode: Number(attr(failure, "exitcode")),
    exitStatus: attr(failure, "exitstatus") ?? "",
    exitReason: unescapeExitReason(attr(failure, "exitreason") ?? ""),
    at: attr(failure, "last-rc-change") ?? "",
  };
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

/**
 * crm_mon 2.1.5 escapes quotes (and entity-like text) in an exit reason before its XML writer
 * escapes the value again: "can't" arrives as can&amp;apos;t, one decoding short (found by the
 * property test). Decoded once more, in one pass, so nothing is decoded twice.
 */
function unescapeExitReason(reason: string): string {
  return reason.replace(
    /&(amp|lt|gt|quot|apos|#x[0-9a-fA-F]+|#[0-9]+);/g,
    (whole, name: string) => {
      if (!name.startsWith("#")) return ENTITIES[name] ?? whole;
      const code = name[1] === "x" ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
      return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    },
  );
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
