import { setTimeout as sleep } from "node:timers/promises";
import pLimit, { type LimitFunction } from "p-limit";
import { Client, type ClientChannel } from "ssh2";
import { COMMAND_OUTPUT_LIMIT, type CommandLogSink, cutForLog } from "../command-log.ts";
import { AppError } from "../errors.ts";
import { err, ok, type Result } from "../result.ts";
import { quoteArgv } from "../shell/quote-argv.ts";
import { classifyConnectError } from "./classify-connect-error.ts";
import { type CommandArg, redactArgv, redactText, revealArgv } from "./command-arg.ts";
import { describeHostKey, hostKeyAlgorithmsFor } from "./host-key.ts";
import { describeEndpoint, type NodeTarget, needsSudo } from "./node-target.ts";

export interface SshPoolOptions {
  log: CommandLogSink;
  /**
   * Channels open at once per node. OpenSSH allows MaxSessions (10 by default) and counts a
   * session until it has reaped it, shortly after the client sees the channel close: with 8 in
   * flight, about one command in seven came back without an exit status. 4 never did.
   */
  maxChannelsPerNode?: number;
  commandTimeoutMs?: number;
  connectTimeoutMs?: number;
  keepaliveIntervalMs?: number;
  /** Unanswered keepalives before the connection counts as dead. */
  keepaliveCountMax?: number;
  /** Connection attempts per request, spaced by a doubling delay (NODE_UNREACHABLE only). */
  connectAttempts?: number;
  retryDelayMs?: number;
  /** Upper bound of the pause after which a node that keeps failing is tried again. */
  maxBackoffMs?: number;
}

/** Who and what a command is for, as the command log records it. */
export interface CommandContext {
  actorId?: string | null;
  clusterId?: string | null;
  vm?: string | null;
}

export interface RunOptions extends CommandContext {
  timeoutMs?: number;
  stdin?: string | Buffer;
  /** Exit codes that count as success; anything else is COMMAND_FAILED. Default [0]. */
  okExitCodes?: readonly number[] | "any";
  /**
   * Ends the wait for the answer: the channel is closed and the run fails (COMMAND_FAILED, "no
   * longer needed"). The command itself ends on the node by its own `timeout`, as sshd does not
   * stop it, so this is for commands that only wait (the watch's long poll), never for changes.
   */
  signal?: AbortSignal;
}

export interface CommandOutput {
  exitCode: number;
  stdout: string;
  stderr: string;
}

interface NodeSlot {
  signature: string;
  limit: LimitFunction;
  client?: Client;
  connecting?: Promise<Result<Client>>;
  consecutiveFailures: number;
  retryAt: number;
  lastError?: AppError;
}

type ExecOutcome =
  | { kind: "exited"; exitCode: number | null; signal?: string; stdout: Buffer; stderr: Buffer }
  | { kind: "timeout"; stdout: Buffer; stderr: Buffer }
  | { kind: "aborted"; stdout: Buffer; stderr: Buffer }
  | { kind: "no-channel"; error: Error };

const SUDO_PREFIX = ["sudo", "-n", "--"];

/** Where a node listens: the pool's key for its connection. */
export type NodeEndpoint = Pick<NodeTarget, "host" | "port">;

/**
 * One SSH connection per node, shared by every command to that node as multiplexed channels.
 * Commands are argv arrays; each produces a CommandRecord and a Result, never an exception.
 * Connections are keyed by endpoint, not by node id: two clusters may both have a "node1".
 */
export class SshPool {
  private readonly slots = new Map<string, NodeSlot>();
  private readonly options: Required<SshPoolOptions>;
  /** Commands not yet settled, their command-log record included: close() waits for them. */
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(options: SshPoolOptions) {
    this.options = {
      maxChannelsPerNode: 4,
      commandTimeoutMs: 60_000,
      connectTimeoutMs: 10_000,
      keepaliveIntervalMs: 15_000,
      keepaliveCountMax: 3,
      connectAttempts: 3,
      retryDelayMs: 200,
      maxBackoffMs: 30_000,
      ...options,
    };
  }

  /** Runs argv on the node (through `sudo -n` unless the user is root). */
  async run(
    node: NodeTarget,
    argv: readonly CommandArg[],
    options: RunOptions = {},
  ): Promise<Result<CommandOutput>> {
    const fullArgv = needsSudo(node) ? [...SUDO_PREFIX, ...argv] : [...argv];
    const timeoutMs = options.timeoutMs ?? this.options.commandTimeoutMs;
    let command: string;
    try {
      // sshd neither kills a command when its channel closes nor honours signal requests
      // without a terminal, so the node's own `timeout` enforces the limit there.
      command = quoteArgv([...remoteTimeout(timeoutMs), ...revealArgv(fullArgv)]);
    } catch (error) {
      return err(error as AppError);
    }
    const shownArgv = redactArgv(fullArgv);
    const slot = this.slotFor(node);
    const running = slot.limit(async () => {
      const startedAt = new Date();
      const outcome = await this.execWithConnection(node, slot, command, timeoutMs, options);
      const durationMs = Date.now() - startedAt.getTime();
      const stdout =
        outcome.ok && outcome.value.kind !== "no-channel" ? outcome.value.stdout : null;
      const stderr =
        outcome.ok && outcome.value.kind !== "no-channel" ? outcome.value.stderr : null;
      const result = this.interpret(node, shownArgv, outcome, options);
      await this.options.log.record({
        actorId: options.actorId ?? null,
        clusterId: options.clusterId ?? null,
        vm: options.vm ?? null,
        node: node.id,
        argv: shownArgv,
        ok: result.ok,
        exitCode: outcome.ok && outcome.value.kind === "exited" ? outcome.value.exitCode : null,
        startedAt,
        durationMs,
        stdout: keptOutput(redactText(stdout?.toString("utf8") ?? "", fullArgv)),
        stderr: keptOutput(
          redactText(stderr?.toString("utf8") ?? (result.ok ? "" : result.error.message), fullArgv),
        ),
      });
      return result;
    });
    this.inFlight.add(running);
    return running.finally(() => this.inFlight.delete(running));
  }

  /** Writes a file on the node over SFTP, as the SSH user (no sudo: stage, then move with run). */
  async upload(
    node: NodeTarget,
    remotePath: string,
    content: Buffer,
    options: CommandContext & { mode?: number } = {},
  ): Promise<Result<void>> {
    const slot = this.slotFor(node);
    const shownArgv = ["sftp-put", remotePath, `${content.length} bytes`];
    return slot.limit(async () => {
      const startedAt = new Date();
      const connection = await this.connection(node, slot);
      const result: Result<void> = connection.ok
        ? await writeOverSftp(connection.value, remotePath, content, options.mode ?? 0o644).then(
            (failure) =>
              failure
                ? err(
                    new AppError(
                      "COMMAND_FAILED",
                      `SFTP upload of ${remotePath} to ${describeEndpoint(node)} failed: ${failure.message}.`,
                      { node: node.id, command: shownArgv },
                    ),
                  )
                : ok(undefined),
          )
        : err(connection.error);
      await this.options.log.record({
        actorId: options.actorId ?? null,
        clusterId: options.clusterId ?? null,
        vm: options.vm ?? null,
        node: node.id,
        argv: shownArgv,
        ok: result.ok,
        exitCode: result.ok ? 0 : null,
        startedAt,
        durationMs: Date.now() - startedAt.getTime(),
        stdout: "",
        stderr: result.ok ? "" : keptOutput(result.error.message),
      });
      return result;
    });
  }

  /** Connects (or reuses the connection) without running anything: pins and credentials check. */
  async connect(node: NodeTarget): Promise<Result<void>> {
    const connection = await this.connection(node, this.slotFor(node));
    return connection.ok ? ok(undefined) : err(connection.error);
  }

  /** Ends the node's connection; the next command opens a fresh one. */
  disconnect(node: NodeEndpoint): void {
    this.drop(describeEndpoint(node));
  }

  /**
   * Drops every connection, then waits until the commands they ended have settled and written
   * their command-log records, so the caller can close the log's database afterwards.
   */
  async close(): Promise<void> {
    for (const endpoint of [...this.slots.keys()]) this.drop(endpoint);
    await Promise.allSettled([...this.inFlight]);
  }

  private drop(endpoint: string): void {
    this.slots.get(endpoint)?.client?.end();
    this.slots.delete(endpoint);
  }

  private slotFor(node: NodeTarget): NodeSlot {
    // A change of user, key or pin means the old connection no longer stands for the node.
    const signature = JSON.stringify([node.username, node.privateKey, node.password, node.hostKey]);
    const endpoint = describeEndpoint(node);
    const existing = this.slots.get(endpoint);
    if (existing?.signature === signature) return existing;
    if (existing) this.drop(endpoint);
    const slot: NodeSlot = {
      signature,
      limit: pLimit(this.options.maxChannelsPerNode),
      consecutiveFailures: 0,
      retryAt: 0,
    };
    this.slots.set(endpoint, slot);
    return slot;
  }

  private async execWithConnection(
    node: NodeTarget,
    slot: NodeSlot,
    command: string,
    timeoutMs: number,
    options: Pick<RunOptions, "stdin" | "signal">,
  ): Promise<Result<ExecOutcome>> {
    // A connection can die between two commands without the pool having noticed yet; opening
    // a channel on it fails before anything ran, so one retry on a fresh connection is safe.
    for (let attempt = 0; ; attempt++) {
      const connection = await this.connection(node, slot);
      if (!connection.ok) return connection;
      const outcome = await execOnClient(connection.value, command, timeoutMs, options);
      if (outcome.kind !== "no-channel" || attempt > 0) return ok(outcome);
      if (slot.client === connection.value) slot.client = undefined;
      connection.value.end();
    }
  }

  private connection(node: NodeTarget, slot: NodeSlot): Promise<Result<Client>> {
    if (slot.client) return Promise.resolve(ok(slot.client));
    if (slot.connecting) return slot.connecting;
    if (slot.lastError && Date.now() < slot.retryAt) {
      const seconds = Math.ceil((slot.retryAt - Date.now()) / 1000);
      const { code, message, context } = slot.lastError;
      return Promise.resolve(
        err(new AppError(code, `${message} Next attempt in ${seconds} s.`, context)),
      );
    }
    slot.connecting = this.connectWithRetry(node, slot).finally(() => {
      slot.connecting = undefined;
    });
    return slot.connecting;
  }

  private async connectWithRetry(node: NodeTarget, slot: NodeSlot): Promise<Result<Client>> {
    let result: Result<Client> | undefined;
    for (let attempt = 0; attempt < this.options.connectAttempts; attempt++) {
      if (attempt > 0) await sleep(this.options.retryDelayMs * 2 ** (attempt - 1));
      result = await this.connectOnce(node);
      if (result.ok || result.error.code !== "NODE_UNREACHABLE") break;
    }
    if (!result) throw new Error("connectAttempts must be at least 1");
    if (result.ok) {
      const client = result.value;
      slot.client = client;
      slot.consecutiveFailures = 0;
      slot.lastError = undefined;
      client.on("close", () => {
        if (slot.client === client) slot.client = undefined;
      });
    } else {
      slot.consecutiveFailures += 1;
      slot.lastError = result.error;
      slot.retryAt =
        Date.now() +
        Math.min(
          this.options.maxBackoffMs,
          this.options.retryDelayMs * 2 ** (slot.consecutiveFailures + 1),
        );
    }
    return result;
  }

  private connectOnce(node: NodeTarget): Promise<Result<Client>> {
    return new Promise((resolve) => {
      const client = new Client();
      let presented: ReturnType<typeof describeHostKey> | undefined;
      let settled = false;
      const settle = (result: Result<Client>) => {
        if (settled) return;
        settled = true;
        if (!result.ok) client.end();
        resolve(result);
      };
      client.on("ready", () => settle(ok(client)));
      client.on("error", (error) => {
        if (presented && presented.fingerprint !== node.hostKey.fingerprint) {
          settle(err(hostKeyMismatch(node, presented.fingerprint)));
        } else {
          settle(err(classifyConnectError(error, node)));
        }
      });
      client.on("close", () =>
        settle(
          err(
            new AppError(
              "NODE_UNREACHABLE",
              `${describeEndpoint(node)} closed the connection during the SSH handshake.`,
              { node: node.id },
            ),
          ),
        ),
      );
      try {
        client.connect({
          host: node.host,
          port: node.port,
          username: node.username,
          privateKey: node.privateKey,
          passphrase: node.passphrase,
          password: node.password,
          readyTimeout: this.options.connectTimeoutMs,
          keepaliveInterval: this.options.keepaliveIntervalMs,
          keepaliveCountMax: this.options.keepaliveCountMax,
          algorithms: { serverHostKey: hostKeyAlgorithmsFor(node.hostKey.keyType) as never },
          hostVerifier: (key: Buffer) => {
            presented = describeHostKey(key);
            return presented.fingerprint === node.hostKey.fingerprint;
          },
        });
        // Commands are small request/response exchanges: with Nagle on, a channel request
        // waits for the ACK of the previous packet, which the node delays by up to 40 ms.
        client.setNoDelay(true);
      } catch (error) {
        // ssh2 throws synchronously for a key it cannot parse.
        settle(err(classifyConnectError(error as Error, node)));
      }
    });
  }

  private interpret(
    node: NodeTarget,
    argv: string[],
    outcome: Result<ExecOutcome>,
    options: RunOptions,
  ): Result<CommandOutput> {
    if (!outcome.ok) {
      const { code, message, context } = outcome.error;
      return err(new AppError(code, message, { ...context, node: node.id, command: argv }));
    }
    const run = outcome.value;
    const where = describeEndpoint(node);
    const what = argv.join(" ");
    if (run.kind === "no-channel") {
      return err(
        new AppError(
          "NODE_UNREACHABLE",
          `Cannot open a channel to ${where}: ${run.error.message}.`,
          { node: node.id, command: argv },
        ),
      );
    }
    const stdout = run.stdout.toString("utf8");
    const stderr = run.stderr.toString("utf8");
    if (run.kind === "aborted") {
      return err(
        new AppError(
          "COMMAND_FAILED",
          `"${what}" on ${node.id} was no longer needed and was left.`,
          {
            node: node.id,
            command: argv,
            exitCode: null,
            stderr,
          },
        ),
      );
    }
    if (run.kind === "timeout") {
      const seconds = (options.timeoutMs ?? this.options.commandTimeoutMs) / 1000;
      return err(
        new AppError(
          "COMMAND_TIMEOUT",
          `"${what}" on ${node.id} did not finish within ${seconds} s and was stopped.`,
          { node: node.id, command: argv, exitCode: null, stderr },
        ),
      );
    }
    if (run.exitCode === null && run.signal) {
      return err(
        new AppError("COMMAND_FAILED", `"${what}" was killed by ${run.signal} on ${node.id}.`, {
          node: node.id,
          command: argv,
          exitCode: null,
          stderr,
        }),
      );
    }
    if (run.exitCode === null) {
      return err(
        new AppError(
          "NODE_UNREACHABLE",
          `${where} closed the channel without an exit status while "${what}" ran: the connection dropped, or sshd refused the session (MaxSessions).`,
          { node: node.id, command: argv, exitCode: null, stderr },
        ),
      );
    }
    if (needsSudo(node) && isSudoRefusal(run.exitCode, stderr)) {
      return err(
        new AppError(
          "SUDO_DENIED",
          `User "${node.username}" may not run commands as root without a password on ${node.id}: ${firstLine(stderr)}`,
          { node: node.id, command: argv, exitCode: run.exitCode, stderr },
        ),
      );
    }
    const accepted = options.okExitCodes ?? [0];
    if (accepted !== "any" && !accepted.includes(run.exitCode)) {
      return err(
        new AppError(
          "COMMAND_FAILED",
          `"${what}" exited with code ${run.exitCode} on ${node.id}${stderr.trim() ? `: ${firstLine(stderr)}` : "."}`,
          { node: node.id, command: argv, exitCode: run.exitCode, stderr },
        ),
      );
    }
    return ok({ exitCode: run.exitCode, stdout, stderr });
  }
}

function hostKeyMismatch(node: NodeTarget, presented: string): AppError {
  return new AppError(
    "HOST_KEY_MISMATCH",
    `The host key of ${describeEndpoint(node)} changed: pinned ${node.hostKey.fingerprint}, presented ${presented}. Refusing to connect.`,
    { node: node.id },
  );
}

/** sudo reports its own refusals with exit code 1 and a message starting "sudo:". */
function isSudoRefusal(exitCode: number, stderr: string): boolean {
  return (
    (exitCode === 1 && stderr.startsWith("sudo: ")) ||
    /^(sh: \d+: )?sudo: (command )?not found/m.test(stderr)
  );
}

function firstLine(text: string): string {
  return text.trim().split("\n", 1)[0] ?? "";
}

function keptOutput(text: string): string {
  return cutForLog(text, COMMAND_OUTPUT_LIMIT);
}

function execOnClient(
  client: Client,
  command: string,
  timeoutMs: number,
  { stdin, signal: leaveWhen }: Pick<RunOptions, "stdin" | "signal">,
): Promise<ExecOutcome> {
  const nothing = Buffer.alloc(0);
  if (leaveWhen?.aborted)
    return Promise.resolve({ kind: "aborted", stdout: nothing, stderr: nothing });
  return new Promise<ExecOutcome>((resolve) => {
    client.exec(command, (error: Error | undefined, channel: ClientChannel) => {
      if (error) {
        resolve({ kind: "no-channel", error });
        return;
      }
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      const startedAt = Date.now();
      let settled = false;
      const finish = (outcome: ExecOutcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(backstop);
        leaveWhen?.removeEventListener("abort", leave);
        resolve(outcome);
      };
      /** Stops waiting for the answer with what came so far (sshd leaves the command running). */
      const closeAs = (kind: "timeout" | "aborted") => {
        channel.close();
        finish({ kind, stdout: Buffer.concat(stdout), stderr: Buffer.concat(stderr) });
      };
      const leave = () => closeAs("aborted");
      // The node's `timeout` should end the command; this only catches a node that stopped
      // answering altogether.
      const backstop = setTimeout(
        () => closeAs("timeout"),
        timeoutMs + REMOTE_KILL_GRACE_S * 1000 + 5_000,
      );
      channel.on("data", (chunk: Buffer) => stdout.push(chunk));
      channel.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
      if (leaveWhen?.aborted) leave();
      else leaveWhen?.addEventListener("abort", leave, { once: true });
      channel.on("close", (exitCode: number | null | undefined, signal?: string) => {
        const out = Buffer.concat(stdout);
        const errOut = Buffer.concat(stderr);
        const code = typeof exitCode === "number" ? exitCode : null;
        const killedByTimeout =
          (code === TIMEOUT_EXIT || code === TIMEOUT_KILL_EXIT) &&
          Date.now() - startedAt >= timeoutMs;
        finish(
          killedByTimeout
            ? { kind: "timeout", stdout: out, stderr: errOut }
            : { kind: "exited", exitCode: code, signal, stdout: out, stderr: errOut },
        );
      });
      channel.end(stdin);
    });
    // ssh2 throws "Not connected" instead of calling back when the connection closed just
    // before: the same as a channel refused, not a rejection every caller would have to catch.
  }).catch((error: Error): ExecOutcome => ({ kind: "no-channel", error }));
}

/** `timeout` (coreutils) exits 124 when it stopped the command, 137 when it had to KILL it. */
const TIMEOUT_EXIT = 124;
const TIMEOUT_KILL_EXIT = 137;
const REMOTE_KILL_GRACE_S = 2;

function remoteTimeout(timeoutMs: number): string[] {
  return ["timeout", "-k", `${REMOTE_KILL_GRACE_S}s`, `${timeoutMs / 1000}s`];
}

function writeOverSftp(
  client: Client,
  remotePath: string,
  content: Buffer,
  mode: number,
): Promise<Error | undefined> {
  return new Promise((resolve) => {
    client.sftp((error, sftp) => {
      if (error) {
        resolve(error);
        return;
      }
      sftp.writeFile(remotePath, content, { mode }, (writeError) => {
        sftp.end();
        resolve(writeError ?? undefined);
      });
    });
  });
}
