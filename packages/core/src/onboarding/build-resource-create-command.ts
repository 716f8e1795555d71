import type { AgentMetadata, AgentParameter } from "../agent/parse-agent-metadata.ts";
import { AppError } from "../errors.ts";
import { allowedNodesConstraintId } from "../inventory/parse-location-constraints.ts";
import { hasControlCharacter } from "../values/no-control-characters.ts";
import { resourceNameSchema } from "./onboarding-schemas.ts";

/** What the operator chose on the resource options form. */
export interface ResourceOptions {
  /** Agent parameters other than config, as strings the way pcs takes them; empty = unset. */
  params: Record<string, string>;
  allowMigrate: boolean;
  /**
   * allow-migrate=true although the migration check failed for some pairs: the operator accepted
   * that Pacemaker will stop and start the VM there (after a failed migrate_to).
   */
  acceptRestartMoves?: boolean;
  ops: {
    startTimeout: string;
    stopTimeout: string;
    monitorInterval: string;
    monitorTimeout: string;
    migrateToTimeout: string;
    migrateFromTimeout: string;
  };
}

export interface OptionIssue {
  /** "params.snapshot", "ops.stopTimeout", ... the form field to mark. */
  field: string;
  message: string;
}

const DURATION = /^[1-9][0-9]*(ms|s|m|min|h)?$/;
const BOOLEAN = /^(true|false|yes|no|on|off|1|0)$/i;
const TRUE = /^(true|yes|on|1)$/i;

/** Integer parameters whose meaning bounds them (the metadata says only "integer"). */
const INTEGER_RANGES: Record<string, [number, number]> = {
  migrateport: [1, 65535],
  migration_downtime: [0, 2_000_000],
  migration_speed: [0, 1_000_000],
};

/** Defaults from the agent's own action timeouts, with allow-migrate on. */
export function defaultResourceOptions(metadata: AgentMetadata): ResourceOptions {
  const action = (name: string, fallback: string) =>
    metadata.actions.find((a) => a.name === name)?.timeout ?? fallback;
  const monitor = metadata.actions.find((a) => a.name === "monitor");
  return {
    params: {},
    allowMigrate: true,
    ops: {
      startTimeout: action("start", "90s"),
      stopTimeout: action("stop", "90s"),
      monitorInterval: monitor?.interval ?? "10s",
      monitorTimeout: monitor?.timeout ?? "30s",
      migrateToTimeout: action("migrate_to", "120s"),
      migrateFromTimeout: action("migrate_from", "60s"),
    },
  };
}

/** Parameters the form offers: everything the agent declares except config (the wizard's). */
export function formParameters(metadata: AgentMetadata): AgentParameter[] {
  return metadata.parameters.filter((p) => p.name !== "config" && !p.deprecated);
}

/**
 * Checks the form against the agent's metadata and the rules the metadata cannot state.
 * Whether monitor_scripts exist on every node is a node check (checkStorage on those paths).
 */
export function validateResourceOptions(
  metadata: AgentMetadata,
  options: ResourceOptions,
): OptionIssue[] {
  const issues: OptionIssue[] = [];
  const declared = new Map(metadata.parameters.map((p) => [p.name, p]));
  const set = Object.fromEntries(
    Object.entries(options.params).filter(([, value]) => value.trim() !== ""),
  );
  for (const [name, value] of Object.entries(set)) {
    const field = `params.${name}`;
    const parameter = declared.get(name);
    if (!parameter || name === "config") {
      issues.push({ field, message: `${metadata.name} has no parameter "${name}".` });
    } else if (parameter.type === "boolean" && !BOOLEAN.test(value)) {
      issues.push({ field, message: `${name} is a boolean: true or false.` });
    } else if (parameter.type === "integer") {
      const [min, max] = INTEGER_RANGES[name] ?? [0, Number.MAX_SAFE_INTEGER];
      if (!/^-?[0-9]+$/.test(value) || Number(value) < min || Number(value) > max) {
        issues.push({ field, message: `${name} must be a whole number from ${min} to ${max}.` });
      }
    } else if (hasControlCharacter(value)) {
      issues.push({
        field,
        message: `${name} must be one line of text without control characters.`,
      });
    }
  }
  if (set.snapshot && set.force_stop && TRUE.test(set.force_stop)) {
    issues.push({
      field: "params.force_stop",
      message:
        "force_stop cannot be used with snapshot: the RAM state is saved by a graceful stop that force_stop skips.",
    });
  }
  if (set.stateless && TRUE.test(set.stateless) && !set.backingfile) {
    issues.push({
      field: "params.backingfile",
      message: "stateless needs backingfile: the overlay image is created from it on every start.",
    });
  }
  for (const path of ["snapshot", "backingfile"] as const) {
    if (set[path] && !set[path].startsWith("/")) {
      issues.push({ field: `params.${path}`, message: `${path} must be an absolute path.` });
    }
  }
  for (const path of monitorScripts(options)) {
    if (!path.startsWith("/")) {
      issues.push({
        field: "params.monitor_scripts",
        message: `monitor script "${path}" must be an absolute path.`,
      });
    }
  }
  for (const [key, value] of Object.entries(options.ops)) {
    if (!DURATION.test(value)) {
      issues.push({
        field: `ops.${key}`,
        message: "Give a duration such as 90s, 2min or 500ms.",
      });
    }
  }
  return issues;
}

/** monitor_scripts is a space-separated list of paths on the nodes. */
export function monitorScripts(options: ResourceOptions): string[] {
  return (options.params.monitor_scripts ?? "").split(/\s+/).filter(Boolean);
}

/**
 * The exact argv of `pcs resource create` for these options (quoted by quoteArgv to show),
 * created disabled: it may start only once its allowed-nodes constraint is in the CIB.
 */
export function buildResourceCreateCommand(input: {
  name: string;
  configPath: string;
  options: ResourceOptions;
}): string[] {
  // The procedures validate all of this first; the builder refuses again because whatever it
  // returns runs as root on a node: a name like --force would be read by pcs as an option.
  if (!resourceNameSchema.safeParse(input.name).success) {
    throw new AppError("INVALID_INPUT", `${JSON.stringify(input.name)} is not a resource name.`);
  }
  const values: [string, string][] = [
    ["config", input.configPath],
    ...Object.entries(input.options.params),
    ...Object.entries(input.options.ops),
  ];
  for (const [name, value] of values) {
    if (hasControlCharacter(value)) {
      throw new AppError("INVALID_INPUT", `The value of ${name} contains control characters.`);
    }
  }
  const { ops } = input.options;
  const params = Object.entries(input.options.params)
    .filter(([name, value]) => name !== "config" && value.trim() !== "")
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, value]) => `${name}=${value.trim()}`);
  return [
    "pcs",
    "resource",
    "create",
    input.name,
    "ocf:heartbeat:VirtualDomain",
    `config=${input.configPath}`,
    ...params,
    "op",
    "start",
    `timeout=${ops.startTimeout}`,
    "stop",
    `timeout=${ops.stopTimeout}`,
    "monitor",
    `interval=${ops.monitorInterval}`,
    `timeout=${ops.monitorTimeout}`,
    ...(input.options.allowMigrate
      ? [
          "migrate_to",
          `timeout=${ops.migrateToTimeout}`,
          "migrate_from",
          `timeout=${ops.migrateFromTimeout}`,
        ]
      : []),
    "meta",
    `allow-migrate=${input.options.allowMigrate}`,
    "--disabled",
  ];
}

/**
 * Keeps the resource off every node but the allowed ones, including nodes added to the cluster
 * later: one rule, -INFINITY where `#uname` is none of them. Pacemaker still probes the other
 * nodes (default resource-discovery), so a copy started there by hand is found and stopped.
 */
export function allowedNodesConstraintArgv(
  name: string,
  allowedNodes: readonly string[],
  id = allowedNodesConstraintId(name),
): string[] {
  const expression = allowedNodes.flatMap((node, index) => [
    ...(index > 0 ? ["and"] : []),
    "#uname",
    "ne",
    node,
  ]);
  return [
    "pcs",
    "constraint",
    "location",
    name,
    "rule",
    `constraint-id=${id}`,
    "score=-INFINITY",
    ...expression,
  ];
}

function enableResourceArgv(name: string): string[] {
  return ["pcs", "resource", "enable", name];
}

/** Every command the create step runs, in order: create disabled, bind, enable. */
export function resourceCreationCommands(input: {
  name: string;
  configPath: string;
  options: ResourceOptions;
  allowedNodes: readonly string[];
}): string[][] {
  return [
    buildResourceCreateCommand(input),
    allowedNodesConstraintArgv(input.name, input.allowedNodes),
    enableResourceArgv(input.name),
  ];
}
