import { adminProcedure, router } from "../../trpc.ts";

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
});
