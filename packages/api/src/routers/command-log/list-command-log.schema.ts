import { z } from "zod";

const optionalText = z
  .string()
  .trim()
  .max(200)
  .optional()
  .transform((value) => value || undefined);

const commandLogFilter = z.object({
  actorId: optionalText,
  node: optionalText,
  vm: optionalText,
  result: z.enum(["ok", "failed"]).optional(),
  kind: z.enum(["command", "action"]).optional(),
  from: z.date().optional(),
  to: z.date().optional(),
  /** The commands Corral runs on its own (the watch's reads) are left out unless asked for. */
  polling: z.boolean().default(false),
});

export const listCommandLogInput = commandLogFilter.extend({
  limit: z.number().int().min(1).max(200).default(50),
  cursor: z.string().max(100).nullish(),
});
export type ListCommandLogInput = z.infer<typeof listCommandLogInput>;

/** Everything the filters select, newest first, up to 10,000 entries, for a CSV or JSON file. */
export const exportCommandLogInput = commandLogFilter;
export type ExportCommandLogInput = z.infer<typeof exportCommandLogInput>;

export const EXPORT_LIMIT = 10_000;
