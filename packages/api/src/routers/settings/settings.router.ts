import { audited } from "../../audit.ts";
import { adminProcedure, router, viewerProcedure } from "../../trpc.ts";
import { setConfigDirectoriesInput } from "./config-directories.schema.ts";
import { readConfigDirectories, writeConfigDirectories } from "./config-directories.ts";

export const settingsRouter = router({
  /** How this instance is configured (read-only: settings come from the environment). */
  get: adminProcedure.query(({ ctx }) => {
    const { config } = ctx.server;
    return {
      dataDir: config.dataDir,
      databaseProvider: config.database.provider,
      baseUrl: config.baseUrl,
      trustedOrigins: config.trustedOrigins,
      trustedProxies: config.trustedProxies,
      loginAttemptsPerMinute: config.loginAttemptsPerMinute,
      sessionIdleMinutes: config.sessionIdleMinutes,
      authSecretSource: process.env.CORRAL_AUTH_SECRET ? "CORRAL_AUTH_SECRET" : "data directory",
    };
  }),
  /** Where onboarding may write config files; the wizard names them beside the path. */
  configDirectories: viewerProcedure.query(async ({ ctx }) => ({
    directories: await readConfigDirectories(ctx.server.settings),
  })),
  setConfigDirectories: adminProcedure.input(setConfigDirectoriesInput).mutation(({ ctx, input }) =>
    audited(ctx, "settings.configDirectories", { ...input }, async () => {
      await writeConfigDirectories(ctx.server.settings, input.directories);
      return { directories: input.directories };
    }),
  ),
});
