import type { ResourceOptions } from "@corral/core";
import { exampleOnboardingSettings } from "@corral/core/testing";
import { describe, expect, it } from "vitest";
import { type ZodType, z } from "zod";
import { appRouter } from "./app.router.ts";
import { previewCommandInput, startOnboardingInput } from "./onboarding/onboarding-job.schema.ts";

// Every procedure's input schemas, found by walking the router, so a procedure added later is
// held to the same limits without touching this file.
const inputs = Object.entries(
  appRouter._def.procedures as unknown as Record<string, { _def: { inputs: ZodType[] } }>,
).flatMap(([path, procedure]) => procedure._def.inputs.map((schema) => ({ path, schema })));

type JsonSchema = Record<string, unknown>;

/** Where a string has no maximum length or an array no maximum count, by JSON pointer. */
function unbounded(schema: JsonSchema, at: string): string[] {
  const found: string[] = [];
  const fixedLength = schema.format === "uuid";
  if (
    schema.type === "string" &&
    schema.maxLength === undefined &&
    !schema.enum &&
    !schema.const &&
    !fixedLength
  )
    found.push(`${at}: string without a maximum length`);
  if (schema.type === "array" && schema.maxItems === undefined)
    found.push(`${at}: array without a maximum count`);
  for (const [key, value] of Object.entries(schema)) {
    if (Array.isArray(value))
      value.forEach((item, index) => {
        if (item && typeof item === "object")
          found.push(...unbounded(item as JsonSchema, `${at}/${key}/${index}`));
      });
    else if (value && typeof value === "object")
      found.push(...unbounded(value as JsonSchema, `${at}/${key}`));
  }
  return found;
}

describe("request inputs", () => {
  it("bound every string and every array of every procedure", () => {
    expect(inputs.length).toBeGreaterThan(10);
    const problems = inputs.flatMap(({ path, schema }) =>
      unbounded(
        z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema,
        path,
      ),
    );
    expect(problems).toEqual([]);
  });

  const options: ResourceOptions = {
    params: { hypervisor: "qemu:///system" },
    allowMigrate: true,
    ops: {
      startTimeout: "90s",
      stopTimeout: "90s",
      monitorInterval: "10s",
      monitorTimeout: "30s",
      migrateToTimeout: "120s",
      migrateFromTimeout: "60s",
    },
  };
  const start = {
    clusterId: "c1",
    vm: "web1",
    resourceName: "web1",
    allowedNodes: ["node1"],
    settings: exampleOnboardingSettings(options),
  };

  it.each([
    ["a CR", "\r"],
    ["an ESC", "\x1b[31m"],
    ["a newline", "\n"],
    ["a tab", "\t"],
    ["DEL", "\x7f"],
    ["a C1 control", "\u0085"],
    ["a line separator", "\u2028"],
    ["a right-to-left override", "\u202e"],
  ])("refuse %s in every value that reaches a node", (_what, control) => {
    expect(startOnboardingInput.safeParse(start).success).toBe(true);
    const bad = (edit: (input: typeof start) => void) => {
      const input = structuredClone(start);
      edit(input);
      return startOnboardingInput.safeParse(input).success;
    };
    expect(bad((i) => (i.settings.configPath = `/etc/pacemaker/web1${control}.xml`))).toBe(false);
    expect(
      bad((i) => {
        i.settings.resourceOptions = { ...options, params: { hypervisor: `qemu://${control}` } };
      }),
    ).toBe(false);
    expect(
      bad((i) => {
        i.settings.resourceOptions = {
          ...options,
          ops: { ...options.ops, startTimeout: `90s${control}` },
        };
      }),
    ).toBe(false);
    expect(bad((i) => (i.allowedNodes = [`node1${control}`]))).toBe(false);
    expect(
      bad((i) => {
        (i.settings as { guestAlive: unknown }).guestAlive = {
          kind: "command",
          argv: ["ping", `-c1${control}`],
        };
      }),
    ).toBe(false);
    expect(
      bad((i) => {
        (i.settings as { guestAlive: unknown }).guestAlive = {
          kind: "console",
          pattern: `login:${control}`,
        };
      }),
    ).toBe(false);
    expect(
      previewCommandInput.safeParse({
        clusterId: "c1",
        resourceName: `web1${control}`,
        configPath: "/etc/pacemaker/web1.xml",
        options,
        allowedNodes: ["node1"],
      }).success,
    ).toBe(false);
  });

  it("refuse more resource parameters than any agent declares", () => {
    const params = Object.fromEntries(
      Array.from({ length: 1000 }, (_, index) => [`p${index}`, "x"]),
    );
    const input = structuredClone(start);
    input.settings.resourceOptions = { ...options, params };
    expect(startOnboardingInput.safeParse(input).success).toBe(false);
  });
});
