import { execFile } from "node:child_process";
import { AppError } from "@corral/core";
import type { LabInfo, LabNode } from "./lab-info.ts";

/**
 * The system ssh client's argv to run `command` on a lab node with the lab's key and the lab's
 * known_hosts (strict checking): the way an operator reaches a real node.
 */
export function labSshArgv(info: LabInfo, node: LabNode, command: string): string[] {
  return [
    "-F",
    "/dev/null",
    "-i",
    node.privateKeyPath,
    "-p",
    String(node.sshPort),
    "-o",
    "IdentitiesOnly=yes",
    "-o",
    "BatchMode=yes",
    "-o",
    `UserKnownHostsFile=${info.knownHostsPath}`,
    "-o",
    "GlobalKnownHostsFile=/dev/null",
    "-o",
    "StrictHostKeyChecking=yes",
    "-o",
    "LogLevel=ERROR",
    `${node.user}@${node.address}`,
    "--",
    command,
  ];
}

/**
 * Runs a shell command on a lab node over ssh (labSshArgv). Tests use it to act on the cluster
 * independently of the Corral code under test.
 */
export function runOnLabNode(
  info: LabInfo,
  node: LabNode,
  command: string,
  timeoutMs = 120_000,
): Promise<string> {
  const argv = labSshArgv(info, node, command);
  return new Promise((resolve, reject) => {
    execFile(
      "ssh",
      argv,
      { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (!error) {
          resolve(stdout);
          return;
        }
        reject(
          new AppError(
            "COMMAND_FAILED",
            `${node.name}: ${command}: ${stderr.trim() || error.message}`,
            {
              node: node.name,
              command: ["ssh", ...argv],
              exitCode: typeof error.code === "number" ? error.code : null,
              stderr,
            },
          ),
        );
      },
    );
  });
}

/** The node of `info` called `name` (node1, node2, ...). */
export function labNode(info: LabInfo, name: string): LabNode {
  const node = info.nodes.find((candidate) => candidate.name === name);
  if (!node) throw new AppError("NOT_FOUND", `lab ${info.name} has no node ${name}`);
  return node;
}
