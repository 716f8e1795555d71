import { AppError } from "../errors.ts";
import { err, ok, type Result } from "../result.ts";
import type { NodeTarget } from "../ssh/node-target.ts";
import { firstAnswer } from "../ssh/run-on-nodes.ts";
import type { CommandContext, SshPool } from "../ssh/ssh-pool.ts";
import { attr, element, elements, readXml, type XmlElement } from "../xml/read-xml.ts";

/** What a VM card needs from the resource's definition in the CIB. */
export interface VmResourceConfig {
  id: string;
  /** The domain XML VirtualDomain starts the VM from, on whichever node it runs. */
  configPath: string | null;
  /** Pacemaker migrates live only with allow-migrate=true; otherwise it stops and starts. */
  allowMigrate: boolean;
  /** The target-role meta attribute: "Stopped" after a disable. */
  targetRole: string | null;
  /** Every agent option, meta attribute and operation, for the resource panel. */
  params: Record<string, string>;
  meta: Record<string, string>;
  ops: { name: string; interval: string; timeout: string | null }[];
}

function resourceConfigArgv(vm: string): string[] {
  return ["cibadmin", "--query", "--xpath", `//primitive[@id='${vm}']`];
}

/** Reads one <primitive> as `cibadmin --query --xpath` prints it. */
export function parseVmResourceConfig(xml: string): VmResourceConfig {
  const primitive = element(readXml(xml, "cibadmin primitive", ["nvpair", "op"]).primitive);
  if (!primitive) throw new AppError("PARSE_ERROR", "cibadmin printed no <primitive>.");
  const pairs = (block: unknown) =>
    new Map(
      elements(element(block)?.nvpair).map((pair: XmlElement) => [
        attr(pair, "name") ?? "",
        attr(pair, "value") ?? "",
      ]),
    );
  const instance = pairs(primitive.instance_attributes);
  const meta = pairs(primitive.meta_attributes);
  return {
    id: attr(primitive, "id") ?? "",
    configPath: instance.get("config") ?? null,
    allowMigrate: ["true", "1", "yes", "on"].includes(
      (meta.get("allow-migrate") ?? "").toLowerCase(),
    ),
    targetRole: meta.get("target-role") ?? null,
    params: Object.fromEntries(instance),
    meta: Object.fromEntries(meta),
    ops: elements(element(primitive.operations)?.op).map((op) => ({
      name: attr(op, "name") ?? "",
      interval: attr(op, "interval") ?? "0s",
      timeout: attr(op, "timeout") ?? null,
    })),
  };
}

export async function readVmResourceConfig(
  pool: SshPool,
  node: NodeTarget,
  vm: string,
  context: CommandContext = {},
): Promise<Result<VmResourceConfig>> {
  if (!/^[A-Za-z0-9_.-]+$/.test(vm)) {
    return err(new AppError("INVALID_INPUT", `"${vm}" is not a resource id.`));
  }
  const argv = resourceConfigArgv(vm);
  const run = await pool.run(node, argv, { ...context, vm, okExitCodes: [0, 105] });
  if (!run.ok) return run;
  if (run.value.exitCode === 105) {
    return err(
      new AppError("VM_NOT_FOUND", `${vm} is not a resource of this cluster.`, { node: node.id }),
    );
  }
  try {
    return ok(parseVmResourceConfig(run.value.stdout));
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return err(new AppError(error.code, error.message, { node: node.id, command: argv }));
  }
}

/** The resource's definition from the first of `nodes` that answers (see firstAnswer). */
export async function readVmResourceConfigFromAny(
  pool: SshPool,
  nodes: readonly NodeTarget[],
  vm: string,
  context: CommandContext = {},
): Promise<Result<VmResourceConfig>> {
  const answer = await firstAnswer(nodes, (node) => readVmResourceConfig(pool, node, vm, context));
  if (answer.node) return ok(answer.value);
  return err(answer.failures.at(-1) ?? new AppError("NOT_FOUND", "No node to ask."));
}
