import { SMTP_SECURITY } from "@corral/core/schemas";
import { z } from "zod";

const name = z.string().trim().min(1, "Name the channel").max(80);
/** undefined keeps the stored secret; a value replaces it; null removes it (email only). */
const secret = z.string().min(1).max(512).nullable().optional();

const webhookSettingsSchema = z.object({
  url: z.url({ protocol: /^https?$/, error: "Enter an http(s) URL" }).max(2000),
});

const emailSettingsSchema = z.object({
  host: z.string().trim().min(1, "Enter the SMTP server").max(253),
  port: z.number().int().min(1).max(65535),
  security: z.enum(SMTP_SECURITY),
  username: z.string().trim().min(1).max(254).nullable(),
  from: z.email("Enter the sender's address").max(254),
  to: z
    .array(z.email("Enter valid addresses").max(254))
    .min(1, "Name at least one recipient")
    .max(20),
});

/** A channel to create (no id) or change. */
export const saveChannelInput = z.discriminatedUnion("type", [
  z.object({
    id: z.string().max(100).optional(),
    name,
    enabled: z.boolean(),
    secret,
    type: z.literal("webhook"),
    settings: webhookSettingsSchema,
  }),
  z.object({
    id: z.string().max(100).optional(),
    name,
    enabled: z.boolean(),
    secret,
    type: z.literal("email"),
    settings: emailSettingsSchema,
  }),
]);
export type SaveChannelInput = z.infer<typeof saveChannelInput>;

export const notificationIdInput = z.object({ id: z.string().min(1).max(100) });
