import { setTimeout as sleep } from "node:timers/promises";
import type { RunAgentOptions } from "../agent/run-agent.ts";
import { AppError } from "../errors.ts";
import { err, ok, type Result } from "../result.ts";
import type { NodeTarget } from "../ssh/node-target.ts";
import type { SshPool } from "../ssh/ssh-pool.ts";

const VIRSH = ["virsh", "-c", "qemu:///system"];
const SHUTDOWN_REPEAT_MS = 5_000;

export function shutdownDomainArgv(domain: string, withDestroy: boolean): string[][] {
  return [
    [...VIRSH, "shutdown", "--domain", domain],
    [...VIRSH, "domstate", "--domain", domain],
    ...(withDestroy ? [[...VIRSH, "destroy", "--domain", domain]] : []),
  ];
}

export interface DomainShutdown {
  method: "graceful" | "destroy";
  ms: number;
}

/**
 * Graceful shutdown within the operator's timeout; destroy only when the operator consented
 * (`destroyAfterTimeout`), otherwise VM_RUNNING says it still runs.
 */
export async function shutdownDomain(
  pool: SshPool,
  node: NodeTarget,
  input: { domain: string; timeoutS: number; destroyAfterTimeout: boolean },
  options: RunAgentOptions = {},
): Promise<Result<DomainShutdown>> {
  const context = { ...options, vm: input.domain };
  const began = Date.now();
  let askedAt = 0;
  while (Date.now() - began < input.timeoutS * 1000) {
    // A guest still booting misses the ACPI button press; asking again costs nothing.
    if (Date.now() - askedAt >= SHUTDOWN_REPEAT_MS) {
      const asked = await pool.run(node, [...VIRSH, "shutdown", "--domain", input.domain], context);
      if (!asked.ok) return asked;
      askedAt = Date.now();
    }
    await sleep(500);
    const state = await pool.run(node, [...VIRSH, "domstate", "--domain", input.domain], {
      ...context,
      okExitCodes: "any",
    });
    if (!state.ok) return state;
    if (state.value.exitCode !== 0 || state.value.stdout.trim() === "shut off") {
      return ok({ method: "graceful", ms: Date.now() - began });
    }
  }
  if (!input.destroyAfterTimeout) {
    return err(
      new AppError(
        "VM_RUNNING",
        `${input.domain} is still running on ${node.id} ${input.timeoutS} s after the shutdown request. Wait longer, shut it down from inside, or allow destroy (a forced power-off).`,
        { node: node.id },
      ),
    );
  }
  const destroyed = await pool.run(node, [...VIRSH, "destroy", "--domain", input.domain], context);
  if (!destroyed.ok) return destroyed;
  return ok({ method: "destroy", ms: Date.now() - began });
}

export function disableAutostartArgv(domain: string): string[] {
  return [...VIRSH, "autostart", "--disable", "--domain", domain];
}

/**
 * Once Pacemaker runs the VM, a persistent definition left on a node is one `virsh start` (or
 * autostart) away from a second copy: the config file on every allowed node is the definition
 * now. NVRAM is kept, since the domain's next start reads it.
 */
export function undefineDomainArgv(domain: string): string[] {
  return [...VIRSH, "undefine", "--keep-nvram", "--domain", domain];
}

/** Pacemaker starts the VM; a host that also starts it at boot would run it twice. */
export async function disableAutostart(
  pool: SshPool,
  node: NodeTarget,
  domain: string,
  options: RunAgentOptions = {},
): Promise<Result<void>> {
  const done = await pool.run(node, disableAutostartArgv(domain), { ...options, vm: domain });
  return done.ok ? ok(undefined) : done;
}
