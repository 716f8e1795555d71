import type { AgentBundle } from "@corral/agent";
import { AppError } from "../errors.ts";
import { err, ok, type Result } from "../result.ts";
import { type NodeTarget, needsSudo } from "../ssh/node-target.ts";
import type { CommandContext, SshPool } from "../ssh/ssh-pool.ts";
import { type AgentLocation, agentRoot } from "./agent-layout.ts";
import { readAgentVersion } from "./read-agent-version.ts";

export interface InstalledAgent {
  id: string;
  sha256: string;
  /** True when this call uploaded the agent (first install or upgrade). */
  changed: boolean;
}

type InstallOptions = CommandContext & AgentLocation;

/**
 * Makes sure the node runs exactly the bundled agent: checks `current` (cheap, on every
 * connect) and installs only when the content hash differs or the agent is missing.
 */
export async function ensureAgent(
  pool: SshPool,
  node: NodeTarget,
  bundle: AgentBundle,
  options: InstallOptions = {},
): Promise<Result<InstalledAgent>> {
  const installed = await readAgentVersion(pool, node, options);
  if (installed.ok && installed.value.sha256 === bundle.sha256) {
    return ok({ id: bundle.id, sha256: bundle.sha256, changed: false });
  }
  // A broken or missing agent is what installing repairs; a node we cannot reach is not.
  if (
    !installed.ok &&
    ["NODE_UNREACHABLE", "AUTH_FAILED", "HOST_KEY_MISMATCH", "SUDO_DENIED"].includes(
      installed.error.code,
    )
  ) {
    return installed;
  }
  return installAgent(pool, node, bundle, options);
}

/**
 * Uploads the agent into its own version directory over SFTP, verifies its SHA-256 on the node,
 * then switches `current` with a rename, so a node never runs a half-written agent.
 */
async function installAgent(
  pool: SshPool,
  node: NodeTarget,
  bundle: AgentBundle,
  options: InstallOptions = {},
): Promise<Result<InstalledAgent>> {
  const root = agentRoot(options);
  const versionDir = `${root}/${bundle.id}`;
  const target = `${versionDir}/corral-agent`;
  // SFTP writes as the SSH user; without root it stages in the user's home (a relative SFTP
  // path) and `install` (through sudo) moves it into place.
  const staging = needsSudo(node) ? `.corral-agent-${bundle.id}.upload` : `${target}.upload`;
  const fail = (reason: string, cause?: AppError) =>
    err(
      new AppError(
        "AGENT_INSTALL_FAILED",
        `Installing the Corral agent on ${node.id} failed: ${reason}`,
        { ...cause?.context, node: node.id },
        { cause },
      ),
    );
  const step = async (argv: string[]) => {
    const result = await pool.run(node, argv, options);
    return result.ok ? undefined : result.error;
  };

  const mkdirFailed = await step(["mkdir", "-p", "-m", "0755", versionDir]);
  if (mkdirFailed) return fail(reasonOf(mkdirFailed), mkdirFailed);

  const upload = await pool.upload(node, staging, bundle.content, { ...options, mode: 0o644 });
  if (!upload.ok) {
    const freeSpace = await describeFreeSpace(
      pool,
      node,
      needsSudo(node) ? "." : versionDir,
      options,
    );
    return fail(`${upload.error.message}${freeSpace}`, upload.error);
  }
  const installFailed =
    (await step(["install", "-m", "0755", staging, target])) ?? (await step(["rm", "-f", staging]));
  if (installFailed) return fail(reasonOf(installFailed), installFailed);

  const sum = await pool.run(node, ["sha256sum", target], options);
  if (!sum.ok) return fail(reasonOf(sum.error), sum.error);
  const onNode = sum.value.stdout.split(/\s/, 1)[0];
  if (onNode !== bundle.sha256) {
    return fail(`the uploaded file's SHA-256 is ${onNode}, expected ${bundle.sha256}.`);
  }

  const switchFailed =
    (await step(["ln", "-sfn", bundle.id, `${root}/current.new`])) ??
    (await step(["mv", "-Tf", `${root}/current.new`, `${root}/current`]));
  if (switchFailed) return fail(reasonOf(switchFailed), switchFailed);

  const running = await readAgentVersion(pool, node, options);
  if (!running.ok)
    return fail(`the installed agent does not run: ${running.error.message}`, running.error);
  if (running.value.sha256 !== bundle.sha256) {
    return fail(
      `"current" points to ${running.value.sha256} after the switch, expected ${bundle.sha256}.`,
    );
  }
  return ok({ id: bundle.id, sha256: bundle.sha256, changed: true });
}

/** The node's own words (e.g. "Read-only file system"), which say more than our summary. */
function reasonOf(error: AppError): string {
  const stderr = error.context.stderr?.trim();
  return stderr ? (stderr.split("\n").slice(-1)[0] ?? stderr) : error.message;
}

/** SFTP reports a full disk only as "Failure"; the free space tells the operator why. */
async function describeFreeSpace(
  pool: SshPool,
  node: NodeTarget,
  dir: string,
  options: CommandContext,
): Promise<string> {
  const df = await pool.run(node, ["df", "-P", "-k", dir], options);
  if (!df.ok) return "";
  const available = df.value.stdout.trim().split("\n")[1]?.split(/\s+/)[3];
  if (available === undefined) return "";
  return available === "0"
    ? ` The file system holding ${dir} is full (0 KiB free).`
    : ` ${available} KiB free on the file system holding ${dir}.`;
}
