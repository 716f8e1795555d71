import { z } from "zod";

/** The JSON the agent's onboarding commands print (packages/agent/corral-agent). */

export const fileSummarySchema = z.object({
  path: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int(),
});
export type FileSummary = z.infer<typeof fileSummarySchema>;

export const removedConfigSchema = z.object({
  path: z.string(),
  removed: z.boolean(),
  reason: z.string().nullable(),
});

export const dumpedConfigSchema = fileSummarySchema.extend({ xml: z.string() });
export type DumpedConfig = z.infer<typeof dumpedConfigSchema>;

export const pathCheckSchema = z.object({
  path: z.string(),
  exists: z.boolean(),
  readable: z.boolean(),
  kind: z.enum(["file", "directory", "block", "other"]).nullable(),
  bytes: z.number().int().nullable(),
  problem: z.string().nullable(),
});
export type PathCheck = z.infer<typeof pathCheckSchema>;
export const pathChecksSchema = z.object({ paths: z.array(pathCheckSchema) });

export const sourceChecksSchema = z.object({
  sources: z.array(
    z.object({ source: z.string(), ok: z.boolean(), problem: z.string().nullable() }),
  ),
});
export type SourceCheck = z.infer<typeof sourceChecksSchema>["sources"][number];

export const testPhaseSchema = z.object({
  name: z.enum(["start", "running", "guest-alive", "shutdown", "destroy"]),
  ok: z.boolean(),
  ms: z.number().int(),
  detail: z.string().nullable(),
});
export type TestPhase = z.infer<typeof testPhaseSchema>;

export const testJobStateSchema = z.object({
  jobId: z.string(),
  domain: z.string(),
  state: z.enum(["running", "succeeded", "failed", "aborted"]),
  phase: z.string().nullable(),
  phases: z.array(testPhaseSchema),
  stopMethod: z.enum(["graceful", "destroy"]).nullable(),
  error: z.string().nullable(),
  startedAt: z.number(),
  endedAt: z.number().nullable(),
  log: z.string(),
});
export type TestJobState = z.infer<typeof testJobStateSchema>;
