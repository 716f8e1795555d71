import { z } from "zod";

export const listFindingsInput = z
  .object({
    clusterId: z.string().max(100).optional(),
    state: z.enum(["open", "resolved"]).default("open"),
    limit: z.number().int().min(1).max(500).default(200),
  })
  .default({ state: "open", limit: 200 });

export const findingIdInput = z.object({ id: z.string().min(1).max(100) });

/** Acknowledge (until null: until it resolves) or snooze until a time. */
export const acknowledgeFindingInput = findingIdInput.extend({
  reason: z.string().trim().min(1, "Say why").max(500),
  until: z.date().nullable(),
});
