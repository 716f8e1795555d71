import { findingKindSchema, findingSeveritySchema } from "@corral/core/schemas";
import { z } from "zod";

/** A rule to create (no id) or change: empty kinds or clusters mean every one. */
export const saveRuleInput = z.object({
  id: z.string().max(100).optional(),
  name: z.string().trim().min(1, "Name the rule").max(80),
  enabled: z.boolean(),
  kinds: z.array(findingKindSchema).max(50),
  minSeverity: findingSeveritySchema,
  clusterIds: z.array(z.string().min(1).max(100)).max(100),
  channelIds: z.array(z.string().min(1).max(100)).min(1, "Pick at least one channel").max(20),
});
export type SaveRuleInput = z.infer<typeof saveRuleInput>;
