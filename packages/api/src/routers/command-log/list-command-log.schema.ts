import { z } from "zod";

const optionalText = z
  .string()
  .trim()
  .max(200)
  .optional()
  .transform((value) => value || undefined);

export const listCommandLogInput = z.object({
  actorId: optionalText,
  node: optionalText,
  vm: optionalText,
  result: z.enum(["ok", "failed"]).optional(),
  kind: z.enum(["command", "action"]).optional(),
  limit: z.number().int().min(1).max(200).default(50),
  cursor: z.string().max(100).nullish(),
});
export type ListCommandLogInput = z.infer<typeof listCommandLogInput>;
