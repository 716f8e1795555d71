import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { AppError } from "@corral/core";
import type { LabEnv } from "./lab-info.ts";

const LAB_CLI = fileURLToPath(new URL("../bin/corral-lab", import.meta.url));

export interface RunLabOptions {
  /** Instance settings (CORRAL_LAB_NAME, CORRAL_LAB_SUBNET, CORRAL_LAB_DIR), added to process.env. */
  env?: LabEnv;
  timeoutMs?: number;
}

/** Runs the lab CLI (`corral-lab up`, `crash 2`, ...) and resolves with its output. */
export function runLab(
  args: readonly string[],
  { env = {}, timeoutMs = 300_000 }: RunLabOptions = {},
): Promise<{ stdout: string; stderr: string }> {
  const argv = [LAB_CLI, ...args];
  return new Promise((resolve, reject) => {
    execFile(
      "bash",
      argv,
      { env: { ...process.env, ...env }, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (!error) {
          resolve({ stdout, stderr });
          return;
        }
        const timedOut = error.killed && error.signal === "SIGTERM";
        reject(
          new AppError(
            timedOut ? "COMMAND_TIMEOUT" : "COMMAND_FAILED",
            `corral-lab ${args.join(" ")} ${timedOut ? "timed out" : "failed"}: ${stderr.trim().split("\n").at(-1) ?? ""}`,
            {
              command: ["bash", ...argv],
              exitCode: typeof error.code === "number" ? error.code : null,
              stderr,
            },
            { cause: error },
          ),
        );
      },
    );
  });
}
