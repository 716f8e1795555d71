import { AppError } from "../errors.ts";
import { err, ok, type Result } from "../result.ts";
import type { NodeTarget } from "../ssh/node-target.ts";
import type { CommandContext, SshPool } from "../ssh/ssh-pool.ts";

/** The memory transfer of a live migration, as `virsh domjobinfo` reports it on the source. */
export interface MigrationProgress {
  /** false: no job runs (not started yet, or finished). */
  active: boolean;
  /** "Outgoing migration", ... */
  operation: string | null;
  elapsedMs: number | null;
  memoryProcessedBytes: number | null;
  memoryRemainingBytes: number | null;
  memoryTotalBytes: number | null;
  /** 0..1 of the memory sent, for the bar; null before libvirt knows the total. */
  fraction: number | null;
}

function domjobinfoArgv(vm: string): string[] {
  return ["virsh", "--connect", "qemu:///system", "domjobinfo", "--domain", vm];
}

const UNITS: Record<string, number> = {
  B: 1,
  KiB: 1024,
  MiB: 1024 ** 2,
  GiB: 1024 ** 3,
  TiB: 1024 ** 4,
};

/** Reads `virsh domjobinfo` (C locale). Unknown lines are ignored; a missing type is PARSE_ERROR. */
export function parseDomjobinfo(text: string): MigrationProgress {
  const fields = new Map<string, string>();
  for (const line of text.split("\n")) {
    const separator = line.indexOf(":");
    if (separator > 0)
      fields.set(line.slice(0, separator).trim(), line.slice(separator + 1).trim());
  }
  const type = fields.get("Job type");
  if (type === undefined) {
    throw new AppError(
      "PARSE_ERROR",
      `virsh domjobinfo printed no job type: ${text.slice(0, 200)}`,
    );
  }
  const bytes = (name: string) => {
    const match = /^([\d.]+)\s*(B|KiB|MiB|GiB|TiB)$/.exec(fields.get(name) ?? "");
    return match ? Math.round(Number(match[1]) * (UNITS[match[2] ?? "B"] ?? 1)) : null;
  };
  const elapsed = /^(\d+)\s*ms$/.exec(fields.get("Time elapsed") ?? "");
  const processed = bytes("Memory processed");
  const total = bytes("Memory total");
  const remaining = bytes("Memory remaining");
  return {
    active: type !== "None",
    operation: fields.get("Operation") ?? null,
    elapsedMs: elapsed ? Number(elapsed[1]) : null,
    memoryProcessedBytes: processed,
    memoryRemainingBytes: remaining,
    memoryTotalBytes: total,
    // Pages dirtied during the transfer are sent again, so "processed" can pass the total:
    // what is left is the honest measure of how far it is.
    fraction: total && remaining !== null ? Math.min(1, Math.max(0, 1 - remaining / total)) : null,
  };
}

/** The migration job of `vm` on its source node. */
export async function readMigrationProgress(
  pool: SshPool,
  source: NodeTarget,
  vm: string,
  context: CommandContext = {},
): Promise<Result<MigrationProgress>> {
  const argv = domjobinfoArgv(vm);
  const run = await pool.run(source, argv, { ...context, vm, timeoutMs: 10_000 });
  if (!run.ok) return run;
  try {
    return ok(parseDomjobinfo(run.value.stdout));
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return err(new AppError(error.code, error.message, { node: source.id, command: argv }));
  }
}
