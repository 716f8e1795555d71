import { execFile, spawn } from "node:child_process";
import { chmod, chown, copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";
import type { HostKey } from "../ssh/host-key.ts";
import type { NodeTarget } from "../ssh/node-target.ts";

const run = promisify(execFile);

/** Unprivileged users the private sshd knows besides root (see startTestSshd). */
export const SUDO_USER = "corral-sudo";
export const NO_SUDO_USER = "corral-nosudo";
const EXTRA_USERS = [
  { name: SUDO_USER, uid: 64_101 },
  { name: NO_SUDO_USER, uid: 64_102 },
];

export interface TestSshd {
  port: number;
  /** The host key as `ssh-keygen -lf` reports it, to compare with probeHostKey. */
  hostKey: HostKey;
  /** An ed25519 key accepted for root and for the extra users. */
  privateKey: string;
  /** With `withFaultyDirs`: a read-only directory and a full file system, as sshd sees them. */
  readOnlyDir: string;
  fullDir: string;
  pid(): number;
  target(options?: { id?: string; username?: string }): NodeTarget;
  /** Kills sshd and its session processes (every connection drops), then starts it again. */
  restart(): Promise<void>;
  /** Replaces the host key (a reinstalled node) and restarts. */
  replaceHostKey(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A real OpenSSH server on a loopback port, for integration tests and benchmarks. It runs in a
 * private mount namespace whose /etc/passwd, /etc/shadow, /etc/group and /etc/sudoers are copies
 * with two extra users (one with passwordless sudo, one without), so the host is never changed.
 * Needs root.
 */
export async function startTestSshd(
  options: {
    withFaultyDirs?: boolean;
    /** A fixed loopback port (else a free one the kernel picks). */
    port?: number;
    /** The client key to accept (an ed25519 private key file's path); else one is made. */
    clientKeyPath?: string;
    /** Set in every session (sshd's SetEnv): a fake node's PATH and identity, say. */
    environment?: Record<string, string>;
    /** Directories bind-mounted in sshd's namespace only: [what, where] (created if missing). */
    mounts?: [string, string][];
  } = {},
): Promise<TestSshd> {
  const dir = await mkdtemp(join(tmpdir(), "corral-sshd-"));
  await mkdir("/run/sshd", { recursive: true });
  const port = options.port ?? (await freeLoopbackPort());
  await run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", join(dir, "host_key")]);
  if (options.clientKeyPath) {
    await copyFile(options.clientKeyPath, join(dir, "client_key"));
    await copyFile(`${options.clientKeyPath}.pub`, join(dir, "client_key.pub"));
  } else {
    await run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", join(dir, "client_key")]);
  }
  await copyFile(join(dir, "client_key.pub"), join(dir, "authorized_keys"));
  // sshd reads authorized_keys as the logging-in user, who must be able to reach it.
  await chmod(dir, 0o755);
  await chmod(join(dir, "authorized_keys"), 0o644);
  await writeFile(
    join(dir, "sshd_config"),
    [
      `Port ${port}`,
      "ListenAddress 127.0.0.1",
      `HostKey ${join(dir, "host_key")}`,
      `AuthorizedKeysFile ${join(dir, "authorized_keys")}`,
      "PidFile none",
      "UsePAM no",
      "StrictModes no",
      "PermitRootLogin prohibit-password",
      "PasswordAuthentication no",
      "KbdInteractiveAuthentication no",
      "Subsystem sftp internal-sftp",
      "MaxStartups 100:30:200",
      "LogLevel ERROR",
      // One line: sshd keeps only the first SetEnv directive.
      ...(options.environment
        ? [
            `SetEnv ${Object.entries(options.environment)
              .map(([name, value]) => `${name}="${value}"`)
              .join(" ")}`,
          ]
        : []),
      "",
    ].join("\n"),
  );
  const binds = await prepareUserFiles(dir);
  const readOnlyDir = join(dir, "readonly");
  const fullDir = join(dir, "full");
  const setup = (options.mounts ?? []).map(
    ([from, to]) => `mkdir -p '${to}' && mount --bind '${from}' '${to}'`,
  );
  if (options.withFaultyDirs) {
    setup.push(
      `mkdir -p '${readOnlyDir}' '${fullDir}'`,
      `mount --bind '${readOnlyDir}' '${readOnlyDir}'`,
      `mount -o remount,bind,ro '${readOnlyDir}'`,
      `mount -t tmpfs -o size=64k tmpfs '${fullDir}'`,
      `{ head -c 1048576 /dev/zero > '${fullDir}/filler' 2>/dev/null; true; }`,
    );
  }
  const privateKey = await readFile(join(dir, "client_key"), "utf8");
  let hostKey = await fingerprintOf(join(dir, "host_key.pub"));
  let pid = await launch(dir, port, binds, setup);

  const stopServer = async () => {
    const children = await readFile(`/proc/${pid}/task/${pid}/children`, "utf8").catch(() => "");
    for (const child of children.split(/\s+/).filter(Boolean)) killQuietly(Number(child));
    killQuietly(pid);
    while (await isAlive(pid)) await sleep(20);
  };

  return {
    port,
    get hostKey() {
      return hostKey;
    },
    privateKey,
    readOnlyDir,
    fullDir,
    pid: () => pid,
    target: ({ id = `sshd-${port}`, username = "root" } = {}) => ({
      id,
      host: "127.0.0.1",
      port,
      username,
      privateKey,
      hostKey,
    }),
    async restart() {
      await stopServer();
      pid = await launch(dir, port, binds, setup);
    },
    async replaceHostKey() {
      await stopServer();
      await rm(join(dir, "host_key"));
      await rm(join(dir, "host_key.pub"));
      await run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", join(dir, "host_key")]);
      hostKey = await fingerprintOf(join(dir, "host_key.pub"));
      pid = await launch(dir, port, binds, setup);
    },
    async stop() {
      await stopServer();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function launch(
  dir: string,
  port: number,
  binds: [string, string][],
  setup: string[],
): Promise<number> {
  const mounts = [...binds.map(([from, to]) => `mount --bind '${from}' '${to}'`), ...setup]
    .map((step) => `${step} && `)
    .join("");
  const child = spawn(
    "unshare",
    [
      "--mount",
      "--propagation",
      "private",
      "sh",
      "-c",
      `${mounts}exec /usr/sbin/sshd -D -e -f '${join(dir, "sshd_config")}'`,
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  child.unref();
  // Keep only the tail of sshd's log: every connection probe makes it print a line.
  let log = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    log = (log + chunk.toString("utf8")).slice(-4096);
  });
  (child.stderr as Socket | null)?.unref();
  const pid = child.pid;
  if (pid === undefined) throw new Error("sshd did not start");
  for (let waited = 0; waited < 10_000; waited += 25) {
    if (await accepts(port)) return pid;
    if (child.exitCode !== null) throw new Error(`sshd exited with code ${child.exitCode}: ${log}`);
    await sleep(25);
  }
  throw new Error(`sshd did not listen on 127.0.0.1:${port} within 10 s`);
}

async function prepareUserFiles(dir: string): Promise<[string, string][]> {
  const etc = join(dir, "etc");
  await mkdir(etc);
  const passwd = await readFile("/etc/passwd", "utf8");
  const shadow = await readFile("/etc/shadow", "utf8");
  const group = await readFile("/etc/group", "utf8");
  // root's home moves to a scratch directory: bash sources ~/.bashrc for sshd sessions, and
  // the host's one would run in every command and skew timings.
  const rootHome = join(dir, "home", "root");
  await mkdir(rootHome, { recursive: true });
  const hostPasswd = passwd
    .trimEnd()
    .split("\n")
    .map((line) =>
      line.startsWith("root:") ? line.replace(/^((?:[^:]*:){5})[^:]*/, `$1${rootHome}`) : line,
    );
  const lines = {
    passwd: hostPasswd,
    shadow: [shadow.trimEnd()],
    group: [group.trimEnd()],
  };
  for (const { name, uid } of EXTRA_USERS) {
    const home = join(dir, "home", name);
    await mkdir(home, { recursive: true });
    await chown(home, uid, uid);
    lines.passwd.push(`${name}:x:${uid}:${uid}::${home}:/bin/sh`);
    // "*" disables password login without marking the account locked (sshd refuses locked ones).
    lines.shadow.push(`${name}:*:19000:0:99999:7:::`);
    lines.group.push(`${name}:x:${uid}:`);
  }
  const files: [string, string, string][] = [
    ["passwd", `${lines.passwd.join("\n")}\n`, "/etc/passwd"],
    ["shadow", `${lines.shadow.join("\n")}\n`, "/etc/shadow"],
    ["group", `${lines.group.join("\n")}\n`, "/etc/group"],
    [
      "sudoers",
      `Defaults env_reset\nroot ALL=(ALL:ALL) ALL\n${SUDO_USER} ALL=(root) NOPASSWD: ALL\n`,
      "/etc/sudoers",
    ],
  ];
  const binds: [string, string][] = [];
  for (const [name, content, target] of files) {
    const path = join(etc, name);
    await writeFile(path, content);
    await chmod(path, name === "sudoers" ? 0o440 : name === "shadow" ? 0o640 : 0o644);
    binds.push([path, target]);
  }
  return binds;
}

async function fingerprintOf(publicKeyPath: string): Promise<HostKey> {
  const { stdout } = await run("ssh-keygen", ["-lf", publicKeyPath]);
  // ssh-keygen prints "256 SHA256:... comment (ED25519)"; the .pub file starts with the SSH type.
  const [, fingerprint = ""] = stdout.trim().split(/\s+/);
  const [keyType = ""] = (await readFile(publicKeyPath, "utf8")).split(" ");
  return { keyType, fingerprint };
}

function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address
          ? resolve(address.port)
          : reject(new Error("no port")),
      );
    });
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
    socket.connect(port, "127.0.0.1");
  });
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, "SIGTERM");
  } catch {
    // Already gone.
  }
}

async function isAlive(pid: number): Promise<boolean> {
  const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => "");
  return status !== "" && !/^State:\s+Z/m.test(status);
}
