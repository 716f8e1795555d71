import { createHash } from "node:crypto";
import { readFile, readlink, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type AgentBundle, readAgentBundle } from "@corral/agent";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CommandLogSink, CommandRecord } from "../command-log.ts";
import { SshPool } from "../ssh/ssh-pool.ts";
import { expectOk } from "../testing/expect-ok.ts";
import { SUDO_USER, startTestSshd, type TestSshd } from "../testing/test-sshd.ts";
import { ensureAgent } from "./install-agent.ts";
import { readAgentVersion } from "./read-agent-version.ts";

const records: CommandRecord[] = [];
const sink: CommandLogSink = {
  record: async (entry) => {
    records.push(entry);
  },
};
const pool = new SshPool({ log: sink });
const bundle = readAgentBundle();
let sshd: TestSshd;
let scratch: string;

/** The same agent with one more comment line: a new version as far as hashes go. */
function nextVersion(of: AgentBundle): AgentBundle {
  const content = Buffer.concat([of.content, Buffer.from("# next version\n")]);
  const sha256 = createHash("sha256").update(content).digest("hex");
  return { content, sha256, id: sha256.slice(0, 16) };
}

beforeAll(async () => {
  sshd = await startTestSshd({ withFaultyDirs: true });
  scratch = join(sshd.readOnlyDir, "..");
});

afterAll(async () => {
  await pool.close();
  await sshd?.stop();
});

describe("ensureAgent", () => {
  it("installs into a version directory, verifies it and switches current", async () => {
    const root = join(scratch, "agent-root");
    const installed = expectOk(await ensureAgent(pool, sshd.target(), bundle, { root }));
    expect(installed).toEqual({ id: bundle.id, sha256: bundle.sha256, changed: true });
    expect(await readlink(join(root, "current"))).toBe(bundle.id);
    const file = join(root, bundle.id, "corral-agent");
    expect(await readFile(file)).toEqual(bundle.content);
    expect((await stat(file)).mode & 0o777).toBe(0o755);
    expect(expectOk(await readAgentVersion(pool, sshd.target(), { root })).sha256).toBe(
      bundle.sha256,
    );
    expect(records.some((record) => record.argv[0] === "sftp-put")).toBe(true);

    // Checked on every connect: the same version is left alone.
    expect(expectOk(await ensureAgent(pool, sshd.target(), bundle, { root })).changed).toBe(false);
  });

  it("upgrades when the bundled content changes, keeping the old version beside it", async () => {
    const root = join(scratch, "agent-upgrade");
    expectOk(await ensureAgent(pool, sshd.target(), bundle, { root }));
    const next = nextVersion(bundle);
    expect(expectOk(await ensureAgent(pool, sshd.target(), next, { root })).changed).toBe(true);
    expect(await readlink(join(root, "current"))).toBe(next.id);
    expect(expectOk(await readAgentVersion(pool, sshd.target(), { root })).sha256).toBe(
      next.sha256,
    );
    expect((await stat(join(root, bundle.id, "corral-agent"))).isFile()).toBe(true);
  });

  it("reinstalls an agent altered on the node", async () => {
    const root = join(scratch, "agent-tampered");
    expectOk(await ensureAgent(pool, sshd.target(), bundle, { root }));
    await writeFile(join(root, bundle.id, "corral-agent"), "print('not the agent')\n");
    expect(expectOk(await ensureAgent(pool, sshd.target(), bundle, { root })).changed).toBe(true);
    expect(await readFile(join(root, bundle.id, "corral-agent"))).toEqual(bundle.content);
  });

  it("installs as root through sudo for a non-root user", async () => {
    const root = join(scratch, "agent-sudo");
    const sudoer = sshd.target({ id: "sudoer", username: SUDO_USER });
    expect(expectOk(await ensureAgent(pool, sudoer, bundle, { root })).changed).toBe(true);
    expect((await stat(join(root, bundle.id, "corral-agent"))).uid).toBe(0);
  });

  it("fails with the node's reason on a read-only file system", async () => {
    const result = await ensureAgent(pool, sshd.target(), bundle, {
      root: join(sshd.readOnlyDir, "agent"),
    });
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: "AGENT_INSTALL_FAILED",
        message: expect.stringContaining("Read-only file system"),
      },
    });
  });

  it("fails with the node's reason on a full disk", async () => {
    const result = await ensureAgent(pool, sshd.target(), bundle, {
      root: join(sshd.fullDir, "agent"),
    });
    expect(result).toMatchObject({
      ok: false,
      error: { code: "AGENT_INSTALL_FAILED", message: expect.stringMatching(/full|No space/) },
    });
  });
});
