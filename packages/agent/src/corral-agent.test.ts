import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { AGENT_SOURCE_PATH, readAgentBundle } from "./read-agent-bundle.ts";

const run = promisify(execFile);

/** Runs the agent with the system python, the way a node runs it. */
async function agent(...args: string[]): Promise<{ code: number; json: unknown }> {
  try {
    const { stdout } = await run("/usr/bin/python3", ["-I", AGENT_SOURCE_PATH, ...args]);
    return { code: 0, json: JSON.parse(stdout) };
  } catch (error) {
    const failed = error as { code: number; stdout: string };
    return { code: failed.code, json: JSON.parse(failed.stdout) };
  }
}

describe("corral-agent", () => {
  it("reports the same content hash that Corral bundles", async () => {
    const bundle = readAgentBundle();
    expect(bundle.id).toBe(bundle.sha256.slice(0, 16));
    expect(await agent("version")).toEqual({
      code: 0,
      json: { protocol: 1, sha256: bundle.sha256, path: AGENT_SOURCE_PATH },
    });
  });

  it("answers an unknown command with a JSON usage error and exit code 2", async () => {
    expect(await agent("reboot-everything")).toEqual({
      code: 2,
      json: { error: { code: "USAGE", message: expect.stringContaining("facts") } },
    });
  });

  it("refuses a resource agent name that is not an OCF triple", async () => {
    expect(await agent("agent-metadata", "ocf:heartbeat:x;reboot")).toMatchObject({
      code: 2,
      json: { error: { code: "USAGE" } },
    });
  });

  it("gives null and a problem for a fact it cannot read, keeping the others", async () => {
    const { code, json } = await agent("facts");
    expect(code).toBe(0);
    const facts = json as {
      hostname: string;
      versions: Record<string, unknown>;
      problems: unknown[];
    };
    expect(facts.hostname).toEqual(expect.any(String));
    expect(Object.keys(facts.versions).sort()).toEqual(
      ["corosync", "libvirt", "pacemaker", "pcs", "qemu", "resourceAgents"].sort(),
    );
    for (const problem of facts.problems) {
      expect(problem).toEqual({
        fact: expect.any(String),
        code: expect.any(String),
        message: expect.any(String),
      });
    }
  });
});
