import { z } from "zod";
import { audited } from "../../audit.ts";
import { adminProcedure, operatorProcedure, router } from "../../trpc.ts";
import { notificationIdInput, saveChannelInput } from "./notification-channel.schema.ts";
import { saveRuleInput } from "./notification-rule.schema.ts";

/** Channels and rules are an admin's; operators see them and what was delivered. */
export const notificationsRouter = router({
  channels: operatorProcedure.query(({ ctx }) => ctx.server.notifications.listChannels()),
  saveChannel: adminProcedure
    .input(saveChannelInput)
    .mutation(({ ctx, input }) =>
      audited(
        ctx,
        input.id ? "notification.channel.update" : "notification.channel.create",
        input,
        () => ctx.server.notifications.saveChannel(input),
      ),
    ),
  deleteChannel: adminProcedure
    .input(notificationIdInput)
    .mutation(({ ctx, input }) =>
      audited(ctx, "notification.channel.delete", input, () =>
        ctx.server.notifications.deleteChannel(input.id),
      ),
    ),
  testChannel: adminProcedure
    .input(notificationIdInput)
    .mutation(({ ctx, input }) =>
      audited(ctx, "notification.channel.test", input, () =>
        ctx.server.notifications.testChannel(input.id),
      ),
    ),
  rules: operatorProcedure.query(({ ctx }) => ctx.server.notifications.listRules()),
  saveRule: adminProcedure
    .input(saveRuleInput)
    .mutation(({ ctx, input }) =>
      audited(ctx, input.id ? "notification.rule.update" : "notification.rule.create", input, () =>
        ctx.server.notifications.saveRule(input),
      ),
    ),
  deleteRule: adminProcedure
    .input(notificationIdInput)
    .mutation(({ ctx, input }) =>
      audited(ctx, "notification.rule.delete", input, () =>
        ctx.server.notifications.deleteRule(input.id),
      ),
    ),
  testRule: adminProcedure
    .input(notificationIdInput)
    .mutation(({ ctx, input }) =>
      audited(ctx, "notification.rule.test", input, () =>
        ctx.server.notifications.testRule(input.id),
      ),
    ),
  deliveries: operatorProcedure
    .input(z.object({ channelId: z.string().max(100).optional() }).optional())
    .query(({ ctx, input }) =>
      ctx.server.notifications.listDeliveries({ channelId: input?.channelId, limit: 50 }),
    ),
});
