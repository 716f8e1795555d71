import {
  configPathSchema,
  domainNameSchema,
  plainText,
  resourceNameSchema,
} from "@corral/core/schemas";
import { z } from "zod";

/** Shared by the wizard's forms and the procedures (re-exported from @corral/api/schemas). */

export const onboardingJobIdInput = z.object({ jobId: z.uuid() });
export type OnboardingJobIdInput = z.infer<typeof onboardingJobIdInput>;

const guestAliveInput = z
  .discriminatedUnion("kind", [
    z.object({
      kind: z.literal("command"),
      argv: z
        .array(plainText.min(1).max(1024))
        .min(1, "Give the command to run on the node, such as ping -c1 -W1 10.0.0.5.")
        .max(32, "At most 32 words."),
    }),
    z.object({
      kind: z.literal("console"),
      pattern: plainText
        .min(
          1,
          "Give a pattern the guest prints on its serial console once it is up, such as login:.",
        )
        .max(200, "At most 200 characters.")
        .refine(isRegularExpression, "Not a regular expression."),
    }),
  ])
  .nullable();

function isRegularExpression(pattern: string): boolean {
  try {
    new RegExp(pattern, "m");
    return true;
  } catch {
    return false;
  }
}

/** Seconds typed into a form: a whole number in range, with a message a person can act on. */
function seconds(min: number, max: number) {
  return z
    .int(`Give a whole number of seconds from ${min} to ${max}.`)
    .min(min, `Give a whole number of seconds from ${min} to ${max}.`)
    .max(max, `Give a whole number of seconds from ${min} to ${max}.`);
}

const duration = plainText.max(20);

const resourceOptionsInput = z.object({
  params: z
    .record(
      z
        .string()
        .max(64)
        .regex(/^[a-z_][a-z0-9_]*$/),
      plainText.max(4096),
    )
    // VirtualDomain declares about 20; the bound keeps a request from carrying thousands.
    .refine((params) => Object.keys(params).length <= 64, "At most 64 parameters."),
  allowMigrate: z.boolean(),
  acceptRestartMoves: z.boolean().optional(),
  ops: z.object({
    startTimeout: duration,
    stopTimeout: duration,
    monitorInterval: duration,
    monitorTimeout: duration,
    migrateToTimeout: duration,
    migrateFromTimeout: duration,
  }),
});

export const onboardingSettingsInput = z.object({
  configPath: configPathSchema,
  shutdownTimeoutS: seconds(5, 3600),
  startTimeoutS: seconds(5, 3600),
  guestAlive: guestAliveInput,
  migrationNetworkSuffix: z
    .string()
    .max(32)
    .regex(/^[A-Za-z0-9-]{1,32}$/, "A host name part: letters, digits and -.")
    .nullable(),
  resourceOptions: resourceOptionsInput.nullable(),
});

const nodeName = plainText.min(1).max(253);

export const startOnboardingInput = z.object({
  clusterId: z.string().min(1).max(100),
  vm: domainNameSchema,
  resourceName: resourceNameSchema,
  allowedNodes: z.array(nodeName).min(1, "Allow at least one node.").max(32),
  settings: onboardingSettingsInput,
});
export type StartOnboardingInput = z.infer<typeof startOnboardingInput>;

export const runStepInput = z.object({
  jobId: z.uuid(),
  request: z.discriminatedUnion("step", [
    z.object({
      step: z.literal("preflight"),
      shutdown: z.object({ destroyAfterTimeout: z.boolean() }).optional(),
      disableAutostart: z.boolean().optional(),
    }),
    z.object({ step: z.enum(["dump", "distribute", "storage", "create"]) }),
    z.object({ step: z.literal("migration"), acceptRestartMoves: z.boolean().optional() }),
    z.object({ step: z.literal("test"), nodes: z.array(nodeName).min(1).max(32).optional() }),
  ]),
});
export type RunStepInput = z.infer<typeof runStepInput>;

export const updateOnboardingInput = z.object({
  jobId: z.uuid(),
  allowedNodes: z.array(nodeName).min(1, "Allow at least one node.").max(32).optional(),
  settings: onboardingSettingsInput.partial().optional(),
});
export type UpdateOnboardingInput = z.infer<typeof updateOnboardingInput>;

export const listOnboardingInput = z.object({
  clusterId: z.string().min(1).max(100).optional(),
  vm: z.string().max(64).optional(),
});

export const resourceFormInput = z.object({
  clusterId: z.string().min(1).max(100),
  /** The job whose migration check shapes the proposal (hypervisor, transport, allow-migrate). */
  jobId: z.uuid().optional(),
});

export const previewCommandInput = z.object({
  clusterId: z.string().min(1).max(100),
  resourceName: plainText.max(64),
  configPath: plainText.max(4096),
  options: resourceOptionsInput,
  /** Where monitor_scripts must exist: the nodes allowed to run the resource. */
  allowedNodes: z.array(nodeName).max(64),
});
export type PreviewCommandInput = z.infer<typeof previewCommandInput>;
