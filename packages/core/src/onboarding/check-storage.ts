import { agentArgv } from "../agent/agent-layout.ts";
import { type RunAgentOptions, runAgent } from "../agent/run-agent.ts";
import { AppError } from "../errors.ts";
import type { NodeTarget } from "../ssh/node-target.ts";
import { type NodeResult, runOnNodes } from "../ssh/run-on-nodes.ts";
import type { SshPool } from "../ssh/ssh-pool.ts";
import { attr, element, elements, readXml, text, type XmlElement } from "../xml/read-xml.ts";
import {
  monitorScripts,
  type OptionIssue,
  type ResourceOptions,
} from "./build-resource-create-command.ts";
import { type PathCheck, pathChecksSchema } from "./onboarding-agent-protocol.ts";

export interface DomainPath {
  path: string;
  /** What the domain uses it for: "disk vda", "disk vda backing 1", "filesystem /data", ... */
  use: string;
}

/**
 * Storage a node reaches by other means than a local path (a network protocol, a libvirt pool,
 * a PCI device, a vhost-user socket its backend creates): no path check can vouch for it.
 */
export interface UncheckableStorage {
  kind: "network" | "volume" | "nvme" | "vhostuser";
  /** "rbd rbdpool/img", "lvpool/vol", "pci 0000:01:00.0 namespace 1", the socket path. */
  name: string;
  use: string;
  /** Network sources: the hosts the node must reach (port null: a unix socket, or unknown). */
  hosts: { name: string; port: string | null }[];
}

/** libvirt's default ports of network disk protocols, for a <host> written without one. */
const PROTOCOL_PORTS: Record<string, string> = {
  rbd: "6789",
  iscsi: "3260",
  nbd: "10809",
  gluster: "24007",
  http: "80",
  https: "443",
  ftp: "21",
  ftps: "990",
  tftp: "69",
  ssh: "22",
  sheepdog: "7000",
};

export interface DomainStorage {
  paths: DomainPath[];
  uncheckable: UncheckableStorage[];
}

/** The warning the storage checks show for storage they cannot check. */
export function describeUncheckable(storage: UncheckableStorage): string {
  return `not checkable from the node: ${storage.kind}, ${storage.name} (${storage.use})`;
}

/**
 * Every local path a domain needs to start, with every image of each disk's backing chain:
 * disk and filesystem sources, kernel, initrd, dtb, ACPI tables, loader and NVRAM (its file and
 * the template libvirt creates it from). Empty CD-ROM drives need no path; network, volume, NVMe
 * and vhost-user disks are listed apart as uncheckable. Paths are kept exactly as written.
 */
export function listDomainStorage(xml: string): DomainStorage {
  const root = element(readXml(xml, "domain XML", ["disk", "filesystem", "table", "host"]).domain);
  if (!root) throw new AppError("PARSE_ERROR", "The domain XML has no <domain> element.");
  const storage: DomainStorage = { paths: [], uncheckable: [] };
  const add = (path: string | undefined, use: string) => {
    if (path) storage.paths.push({ path, use });
  };
  const os = element(root.os);
  for (const use of ["kernel", "initrd", "dtb", "loader"] as const) add(text(os?.[use]), use);
  const nvram = os?.nvram;
  // <nvram>/path</nvram>, or since libvirt 8.5 <nvram type="file"><source file="/path"/>.
  const nvramSource = element(element(nvram)?.source);
  add(nvramSource ? attr(nvramSource, "file") : text(nvram), "nvram");
  add(attr(element(nvram), "template"), "nvram template");
  for (const table of elements(element(os?.acpi)?.table)) {
    add(text(table), `acpi table ${attr(table, "type") ?? ""}`.trim());
  }
  const devices = element(root.devices);
  for (const disk of elements(devices?.disk)) {
    const use =
      `${attr(disk, "device") ?? "disk"} ${attr(element(disk.target), "dev") ?? ""}`.trim();
    readDiskSource(disk, use, storage);
  }
  for (const filesystem of elements(devices?.filesystem)) {
    const source = element(filesystem.source);
    add(
      attr(source, "dir") ?? attr(source, "file") ?? attr(source, "dev"),
      `filesystem ${attr(element(filesystem.target), "dir") ?? ""}`.trim(),
    );
  }
  return storage;
}

/** A disk's source, then each <backingStore> below it (each may be of any type itself). */
function readDiskSource(disk: XmlElement, use: string, storage: DomainStorage): void {
  let layer: XmlElement | undefined = disk;
  let depth = 0;
  while (layer) {
    const source = element(layer.source);
    const at = depth === 0 ? use : `${use} backing ${depth}`;
    const type = attr(layer, "type") ?? (depth === 0 ? "file" : undefined);
    if (!source || !type) break;
    if (type === "file" || type === "block" || type === "dir") {
      const path = attr(source, "file") ?? attr(source, "dev") ?? attr(source, "dir");
      if (path) storage.paths.push({ path, use: at });
      // A qcow2 image may keep its data in a separate raw file.
      const dataFile = element(element(source.dataStore)?.source);
      const data = attr(dataFile, "file") ?? attr(dataFile, "dev");
      if (data) storage.paths.push({ path: data, use: `${at} data file` });
    } else if (type === "network") {
      storage.uncheckable.push({
        kind: "network",
        name: `${attr(source, "protocol") ?? "network"} ${attr(source, "name") ?? ""}`.trim(),
        use: at,
        hosts: elements(source.host).map((host) => ({
          name: attr(host, "name") ?? attr(host, "socket") ?? "",
          port: attr(host, "socket")
            ? null
            : (attr(host, "port") ?? PROTOCOL_PORTS[attr(source, "protocol") ?? ""] ?? null),
        })),
      });
    } else if (type === "volume") {
      storage.uncheckable.push({
        kind: "volume",
        name: `${attr(source, "pool") ?? ""}/${attr(source, "volume") ?? ""}`,
        use: at,
        hosts: [],
      });
    } else if (type === "nvme") {
      const [domain, bus, slot, fn] = ["domain", "bus", "slot", "function"].map((part) =>
        (attr(element(source.address), part) ?? "").replace(/^0x/, ""),
      );
      storage.uncheckable.push({
        kind: "nvme",
        name: `${attr(source, "type") ?? "pci"} ${domain}:${bus}:${slot}.${fn} namespace ${attr(source, "namespace") ?? "?"}`,
        use: at,
        hosts: [],
      });
    } else if (type === "vhostuser") {
      storage.uncheckable.push({
        kind: "vhostuser",
        name: attr(source, "path") ?? "",
        use: at,
        hosts: [],
      });
    }
    layer = element(layer.backingStore);
    depth++;
  }
}

export function checkStorageArgv(paths: readonly DomainPath[], options: RunAgentOptions = {}) {
  return agentArgv(
    "check-paths",
    paths.map((p) => p.path),
    options,
  );
}

export interface StoragePathReport extends DomainPath {
  /** Per node: ok when the path exists and could be opened for reading. */
  nodes: Record<string, PathCheck | null>;
  /** Present on exactly one of several nodes: storage that only that node has. */
  nodeLocal: boolean;
}

export interface StorageReport {
  paths: StoragePathReport[];
  /** Nodes on which every path exists and is readable. */
  readyNodes: string[];
  /** Per node, the paths missing or unreadable there. */
  problems: { node: string; path: string; use: string; problem: string }[];
  answers: NodeResult<PathCheck[]>[];
}

/** Checks every path of the domain on every node at once and summarises per path and node. */
export async function checkStorage(
  pool: SshPool,
  nodes: readonly NodeTarget[],
  paths: readonly DomainPath[],
  options: RunAgentOptions = {},
): Promise<StorageReport> {
  const answers =
    paths.length === 0
      ? nodes.map((node) => ({ nodeId: node.id, result: { ok: true as const, value: [] } }))
      : await runOnNodes(nodes, async (node) => {
          const checked = await runAgent(
            pool,
            node,
            "check-paths",
            paths.map((p) => p.path),
            pathChecksSchema,
            options,
          );
          return checked.ok ? { ok: true as const, value: checked.value.paths } : checked;
        });
  const problems: StorageReport["problems"] = [];
  const reports = paths.map((domainPath, index): StoragePathReport => {
    const perNode: Record<string, PathCheck | null> = {};
    for (const { nodeId, result } of answers) {
      const check = result.ok ? (result.value[index] ?? null) : null;
      perNode[nodeId] = check;
      if (!result.ok) continue;
      if (!check?.exists || !check.readable) {
        problems.push({
          node: nodeId,
          ...domainPath,
          problem: check?.problem ?? "not checked",
        });
      }
    }
    const present = Object.values(perNode).filter((check) => check?.exists).length;
    return { ...domainPath, nodes: perNode, nodeLocal: nodes.length > 1 && present === 1 };
  });
  const readyNodes = answers
    .filter(({ nodeId, result }) => result.ok && !problems.some((p) => p.node === nodeId))
    .map(({ nodeId }) => nodeId);
  return { paths: reports, readyNodes, problems, answers };
}

/**
 * Each monitor script exists and is readable on every node that may run the resource, checked
 * live (the form) and again before `pcs resource create`: one issue per missing script and node,
 * and per node that could not be asked.
 */
export async function checkMonitorScripts(
  pool: SshPool,
  nodes: readonly NodeTarget[],
  options: ResourceOptions,
  runOptions: RunAgentOptions = {},
): Promise<OptionIssue[]> {
  const scripts = monitorScripts(options).filter((path) => path.startsWith("/"));
  if (scripts.length === 0) return [];
  const report = await checkStorage(
    pool,
    nodes,
    scripts.map((path) => ({ path, use: "monitor script" })),
    runOptions,
  );
  const field = "params.monitor_scripts";
  return [
    ...report.problems.map((p) => ({
      field,
      message: `monitor script ${p.path} on ${p.node}: ${p.problem}.`,
    })),
    ...report.answers.flatMap(({ nodeId, result }) =>
      result.ok
        ? []
        : [{ field, message: `monitor scripts not checked on ${nodeId}: ${result.error.message}` }],
    ),
  ];
}
