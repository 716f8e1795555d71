import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runLab } from "./run-lab.ts";

// Bad input is refused before the CLI touches the machine, so these run without root or a lab.
describe("corral-lab refuses bad input with a specific message", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "corral-lab-cli-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true });
  });

  const refused = (args: string[], env: Record<string, string>, message: string) =>
    expect(runLab(args, { env: { CORRAL_LAB_DIR: dir, ...env } })).rejects.toMatchObject({
      code: "COMMAND_FAILED",
      message: expect.stringContaining(message),
    });

  it.each([
    [["up", "--nodes", "7"], {}, "--nodes takes a number from 2 to 5 (got '7')"],
    [["up", "--nodes"], {}, "--nodes takes a number from 2 to 5 (got '')"],
    [["up", "--fast"], {}, "up: unknown argument '--fast'"],
    [["status"], { CORRAL_LAB_NAME: "Lab_1" }, "CORRAL_LAB_NAME must be 1-10 lowercase"],
    [["status"], { CORRAL_LAB_NAME: "averylongname" }, "CORRAL_LAB_NAME must be 1-10 lowercase"],
    [
      ["status"],
      { CORRAL_LAB_SUBNET: "192.168.1.0/24" },
      "CORRAL_LAB_SUBNET must be a /24 inside 10.0.0.0/8",
    ],
    [
      ["status"],
      { CORRAL_LAB_SUBNET: "10.300.1.0/24" },
      "CORRAL_LAB_SUBNET must be a /24 inside 10.0.0.0/8",
    ],
    [
      ["status"],
      { CORRAL_LAB_DIR: "/etc/corral" },
      "must not be inside the host's own configuration",
    ],
    [["status"], { CORRAL_LAB_DIR: "relative/dir" }, "CORRAL_LAB_DIR must be an absolute path"],
    [["status"], {}, "no lab 'corral' is up"],
    [["frobnicate"], {}, "unknown command 'frobnicate'"],
  ] as const)("%j %j", (args, env, message) => refused([...args], env, message));
});
