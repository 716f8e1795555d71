import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COMMAND_OUTPUT_LIMIT, type CommandLogSink, type CommandRecord } from "../command-log.ts";
import { expectOk } from "../testing/expect-ok.ts";
import { NO_SUDO_USER, SUDO_USER, startTestSshd, type TestSshd } from "../testing/test-sshd.ts";
import { secret } from "./command-arg.ts";
import { probeHostKey } from "./host-key.ts";
import { runOnNodes } from "./run-on-nodes.ts";
import { SshPool } from "./ssh-pool.ts";

class RecordingSink implements CommandLogSink {
  readonly records: CommandRecord[] = [];
  async record(entry: CommandRecord): Promise<void> {
    this.records.push(entry);
  }
}

let sshd: TestSshd;
let other: TestSshd;
const sink = new RecordingSink();
const pool = new SshPool({ log: sink, retryDelayMs: 50 });

beforeAll(async () => {
  [sshd, other] = await Promise.all([startTestSshd(), startTestSshd()]);
});

afterAll(async () => {
  await pool.close();
  await Promise.all([sshd?.stop(), other?.stop()]);
});

/** The client address and port of the TCP connection that carried the command. */
async function connectionOf(target = sshd.target()): Promise<string> {
  return expectOk(await pool.run(target, ["sh", "-c", "echo $SSH_CONNECTION"])).stdout.trim();
}

async function descendants(pid: number): Promise<number[]> {
  const children = await readFile(`/proc/${pid}/task/${pid}/children`, "utf8").catch(() => "");
  const direct = children.split(/\s+/).filter(Boolean).map(Number);
  return [...direct, ...(await Promise.all(direct.map(descendants))).flat()];
}

describe("probeHostKey", () => {
  it("reports the fingerprint exactly as ssh-keygen -lf prints it", async () => {
    expect(expectOk(await probeHostKey("127.0.0.1", sshd.port))).toEqual(sshd.hostKey);
  });

  it("names host, port and cause when nothing listens", async () => {
    const result = await probeHostKey("127.0.0.1", 1);
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: "NODE_UNREACHABLE",
        message: expect.stringMatching(/127\.0\.0\.1:1.*refused/),
      },
    });
  });
});

describe("SshPool", () => {
  it("runs argv exactly and reuses one connection for parallel commands", async () => {
    const out = expectOk(await pool.run(sshd.target(), ["printf", "%s|", "a b", "$HOME", "it's"]));
    expect(out).toEqual({ exitCode: 0, stdout: "a b|$HOME|it's|", stderr: "" });

    // Many more than sshd's MaxSessions at once: the pool queues them, none is refused.
    const pids = await Promise.all(Array.from({ length: 60 }, () => connectionOf()));
    expect(new Set(pids).size).toBe(1);
    const sessions = await readFile(`/proc/${sshd.pid()}/task/${sshd.pid()}/children`, "utf8");
    expect(sessions.trim().split(/\s+/)).toHaveLength(1);
  });

  it("keeps one connection per endpoint: two clusters' node1 neither share nor drop one", async () => {
    const targets = [sshd.target({ id: "node1" }), other.target({ id: "node1" })];
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, index) => {
        const target = targets[index % 2] ?? sshd.target();
        return connectionOf(target).then((connection) => ({ target, connection }));
      }),
    );
    for (const target of targets) {
      const seen = answers.filter((answer) => answer.target === target);
      // $SSH_CONNECTION: client address, client port, server address, server port.
      expect(new Set(seen.map(({ connection }) => connection.split(" ")[3]))).toEqual(
        new Set([String(target.port)]),
      );
      expect(new Set(seen.map(({ connection }) => connection.split(" ")[1])).size).toBe(1);
    }
  });

  it("limits the channels open at once per node", async () => {
    const narrow = new SshPool({ log: sink, maxChannelsPerNode: 2 });
    const target = sshd.target({ id: "narrow" });
    expectOk(await narrow.run(target, ["true"]));
    const started = Date.now();
    const results = await Promise.all(
      Array.from({ length: 6 }, () => narrow.run(target, ["sleep", "0.3"])),
    );
    // Six 0.3 s commands, two at a time: three rounds at least.
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(results.every((result) => result.ok)).toBe(true);
    await narrow.close();
  });

  it("stops a command at its timeout and kills it on the node", async () => {
    const result = await pool.run(sshd.target(), ["sleep", "29.123"], { timeoutMs: 300 });
    expect(result).toMatchObject({
      ok: false,
      error: { code: "COMMAND_TIMEOUT", message: expect.stringContaining("sleep 29.123") },
    });
    const left = await pool.run(sshd.target(), ["pgrep", "-f", "^sleep 29[.]123"], {
      okExitCodes: [0, 1],
    });
    expect(expectOk(left).exitCode).toBe(1);
  });

  it("leaves a wait that is no longer needed, and the connection serves the next command", async () => {
    const abort = new AbortController();
    const waiting = pool.run(sshd.target(), ["sleep", "28.5"], { signal: abort.signal });
    setTimeout(() => abort.abort(), 200);
    expect(await waiting).toMatchObject({
      ok: false,
      error: { code: "COMMAND_FAILED", message: expect.stringContaining("no longer needed") },
    });
    expect(expectOk(await pool.run(sshd.target(), ["echo", "next"])).stdout).toBe("next\n");
    // Already aborted: nothing runs.
    expect(await pool.run(sshd.target(), ["true"], { signal: abort.signal })).toMatchObject({
      ok: false,
      error: { code: "COMMAND_FAILED" },
    });
  });

  it("reconnects after sshd restarts", async () => {
    const before = await connectionOf();
    await sshd.restart();
    const after = await connectionOf();
    expect(after).not.toBe(before);
  });

  it("notices a connection that stopped answering through keepalives and moves on", async () => {
    const watchful = new SshPool({ log: sink, keepaliveIntervalMs: 200, keepaliveCountMax: 2 });
    const target = sshd.target({ id: "watchful" });
    const before = expectOk(await watchful.run(target, ["sh", "-c", "echo $SSH_CONNECTION"]));
    // Freeze the processes serving this connection (a hung node), not the listener.
    const frozen = await descendants(sshd.pid());
    for (const pid of frozen) process.kill(pid, "SIGSTOP");
    try {
      const after = await watchful.run(target, ["sh", "-c", "echo $SSH_CONNECTION"]);
      expect(expectOk(after).stdout).not.toBe(before.stdout);
    } finally {
      for (const pid of frozen) process.kill(pid, "SIGKILL");
      await watchful.close();
    }
  });

  it("maps a non-zero exit to COMMAND_FAILED unless the code is accepted", async () => {
    const before = sink.records.length;
    const failed = await pool.run(sshd.target(), ["sh", "-c", "echo boom >&2; exit 3"]);
    expect(failed).toMatchObject({
      ok: false,
      error: {
        code: "COMMAND_FAILED",
        message: expect.stringContaining("code 3"),
        context: { exitCode: 3, stderr: "boom\n", node: sshd.target().id },
      },
    });
    const accepted = await pool.run(sshd.target(), ["sh", "-c", "exit 3"], { okExitCodes: [3] });
    expect(expectOk(accepted).exitCode).toBe(3);
    // The log says what the pool decided, not what the exit code alone would say.
    expect(sink.records.slice(before).map(({ ok, exitCode }) => ({ ok, exitCode }))).toEqual([
      { ok: false, exitCode: 3 },
      { ok: true, exitCode: 3 },
    ]);
  });

  it("records every command, redacting secrets and truncating long output", async () => {
    const before = sink.records.length;
    const password = "hunter2-secret";
    const run = await pool.run(
      sshd.target(),
      [
        "sh",
        "-c",
        'printf "%s" "$1"; head -c 40000 /dev/zero | tr "\\0" x',
        "sh",
        secret(password),
      ],
      { actorId: "u1", clusterId: "c1", vm: "web1" },
    );
    expect(expectOk(run).stdout).toHaveLength(password.length + 40_000);
    const record = sink.records[before];
    expect(record).toMatchObject({ actorId: "u1", clusterId: "c1", vm: "web1", exitCode: 0 });
    expect(record?.argv).toEqual(expect.arrayContaining(["[redacted]"]));
    expect(JSON.stringify(record)).not.toContain(password);
    expect(record?.stdout.length).toBeLessThan(COMMAND_OUTPUT_LIMIT + 100);
    // What was cut, counted: the password (redacted to "[redacted]") and 40,000 x's, less the kept.
    const cut = "[redacted]".length + 40_000 - COMMAND_OUTPUT_LIMIT;
    expect(record?.stdout).toMatch(
      new RegExp(`\\n\\[… ${cut.toLocaleString("en-US")} more bytes cut by Corral\\]$`),
    );
  });

  it("refuses a host key that differs from the pin, naming both fingerprints", async () => {
    const pinned = sshd.target({ id: "pinned" });
    expectOk(await pool.run(pinned, ["true"]));
    const oldFingerprint = sshd.hostKey.fingerprint;
    await sshd.replaceHostKey();
    const result = await pool.run(pinned, ["true"]);
    expect(result).toMatchObject({ ok: false, error: { code: "HOST_KEY_MISMATCH" } });
    if (!result.ok) {
      expect(result.error.message).toContain(oldFingerprint);
      expect(result.error.message).toContain(sshd.hostKey.fingerprint);
    }
    // The operator confirms the new key: the same node with the new pin connects.
    expectOk(await pool.run(sshd.target({ id: "pinned" }), ["true"]));
  });

  it("reports a key the server does not accept as AUTH_FAILED", async () => {
    const dir = await mkdtemp(join(tmpdir(), "corral-key-"));
    await promisify(execFile)("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", `${dir}/k`]);
    const stranger = {
      ...sshd.target({ id: "stranger" }),
      privateKey: await readFile(`${dir}/k`, "utf8"),
    };
    await rm(dir, { recursive: true });
    expect(await pool.run(stranger, ["true"])).toMatchObject({
      ok: false,
      error: { code: "AUTH_FAILED", message: expect.stringContaining(`127.0.0.1:${sshd.port}`) },
    });
  });

  it("reports a garbled private key as INVALID_INPUT", async () => {
    const garbled = { ...sshd.target({ id: "garbled" }), privateKey: "not a key" };
    expect(await pool.run(garbled, ["true"])).toMatchObject({
      ok: false,
      error: { code: "INVALID_INPUT" },
    });
  });

  it("reports a refused port as NODE_UNREACHABLE and backs off", async () => {
    const closed = { ...sshd.target({ id: "closed" }), port: 1 };
    const first = await pool.run(closed, ["true"]);
    expect(first).toMatchObject({
      ok: false,
      error: {
        code: "NODE_UNREACHABLE",
        message: expect.stringMatching(/127\.0\.0\.1:1\b.*refused/),
      },
    });
    const second = await pool.run(closed, ["true"]);
    expect(second).toMatchObject({
      ok: false,
      error: { code: "NODE_UNREACHABLE", message: expect.stringContaining("Next attempt in") },
    });
    expect(sink.records.at(-1)).toMatchObject({ node: "closed", exitCode: null });
  });

  it("runs through sudo -n for a user allowed to, and refuses one who is not", async () => {
    const sudoer = sshd.target({ id: "sudoer", username: SUDO_USER });
    expect(expectOk(await pool.run(sudoer, ["id", "-u"])).stdout).toBe("0\n");
    const plain = sshd.target({ id: "plain", username: NO_SUDO_USER });
    expect(await pool.run(plain, ["id", "-u"])).toMatchObject({
      ok: false,
      error: { code: "SUDO_DENIED", message: expect.stringContaining(NO_SUDO_USER) },
    });
  });

  it("uploads a file over SFTP", async () => {
    const path = `/tmp/corral-sftp-${sshd.port}`;
    const content = Buffer.from("payload\n\u00e9\n");
    expectOk(await pool.upload(sshd.target(), path, content, { mode: 0o600 }));
    const seen = expectOk(await pool.run(sshd.target(), ["stat", "-c", "%a", path]));
    expect(seen.stdout).toBe("600\n");
    expect(await readFile(path)).toEqual(content);
    await rm(path);
    const refused = await pool.upload(sshd.target(), "/proc/corral-cannot-write", content);
    expect(refused).toMatchObject({ ok: false, error: { code: "COMMAND_FAILED" } });
  });

  it("fans out over many nodes and returns one result per node", async () => {
    const targets = [sshd.target(), other.target(), { ...other.target({ id: "gone" }), port: 1 }];
    const results = await runOnNodes(targets, (node) => pool.run(node, ["echo", node.id]));
    expect(results.map(({ nodeId }) => nodeId)).toEqual(targets.map(({ id }) => id));
    expect(
      results.map(({ result }) => (result.ok ? result.value.stdout.trim() : result.error.code)),
    ).toEqual([sshd.target().id, other.target().id, "NODE_UNREACHABLE"]);
  });
});
