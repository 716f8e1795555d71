import { agentArgv } from "../agent/agent-layout.ts";
import { type RunAgentOptions, runAgent } from "../agent/run-agent.ts";
import { AppError } from "../errors.ts";
import type { NodeTarget } from "../ssh/node-target.ts";
import { type NodeResult, runOnNodes } from "../ssh/run-on-nodes.ts";
import type { SshPool } from "../ssh/ssh-pool.ts";
import { attr, element, elements, readXml, text } from "../xml/read-xml.ts";
import {
  monitorScripts,
  type OptionIssue,
  type ResourceOptions,
} from "./build-resource-create-command.ts";
import { type PathCheck, pathChecksSchema } from "./onboarding-agent-protocol.ts";

export interface DomainPath {
  path: string;
  /** What the domain uses it for: "disk vda", "filesystem /data", "kernel", ... */
  use: string;
}

/**
 * Every local path a domain needs to start: disk and filesystem sources, kernel, initrd,
 * loader and NVRAM. Network disks (protocol sources) and empty CD-ROM drives need no path.
 */
export function listDomainPaths(xml: string): DomainPath[] {
  const root = element(readXml(xml, "domain XML", ["disk", "filesystem"]).domain);
  if (!root) throw new AppError("PARSE_ERROR", "The domain XML has no <domain> element.");
  const paths: DomainPath[] = [];
  const os = element(root.os);
  for (const use of ["kernel", "initrd", "loader", "nvram"] as const) {
    const path = text(os?.[use]);
    if (path) paths.push({ path, use });
  }
  const devices = element(root.devices);
  for (const disk of elements(devices?.disk)) {
    const source = element(disk.source);
    const path = attr(source, "file") ?? attr(source, "dev") ?? attr(source, "dir");
    if (path)
      paths.push({
        path,
        use: `${attr(disk, "device") ?? "disk"} ${attr(element(disk.target), "dev") ?? ""}`.trim(),
      });
  }
  for (const filesystem of elements(devices?.filesystem)) {
    const source = element(filesystem.source);
    const path = attr(source, "dir") ?? attr(source, "file") ?? attr(source, "dev");
    if (path)
      paths.push({
        path,
        use: `filesystem ${attr(element(filesystem.target), "dir") ?? ""}`.trim(),
      });
  }
  return paths;
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
