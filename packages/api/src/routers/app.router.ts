import { router } from "../trpc.ts";
import { apiTokensRouter } from "./api-tokens/api-tokens.router.ts";
import { bulkRouter } from "./bulk/bulk.router.ts";
import { clustersRouter } from "./clusters/clusters.router.ts";
import { commandLogRouter } from "./command-log/command-log.router.ts";
import { findingsRouter } from "./findings/findings.router.ts";
import { maintenanceRouter } from "./maintenance/maintenance.router.ts";
import { nodesRouter } from "./nodes/nodes.router.ts";
import { notificationsRouter } from "./notifications/notifications.router.ts";
import { onboardingRouter } from "./onboarding/onboarding.router.ts";
import { sessionRouter } from "./session/session.router.ts";
import { settingsRouter } from "./settings/settings.router.ts";
import { setupRouter } from "./setup/setup.router.ts";
import { testResultsRouter } from "./test-results/test-results.router.ts";
import { timelineRouter } from "./timeline/timeline.router.ts";
import { usersRouter } from "./users/users.router.ts";
import { vmsRouter } from "./vms/vms.router.ts";

/** The whole API. A feature adds its router here (ARCHITECTURE.md, "Adding a router"). */
export const appRouter = router({
  setup: setupRouter,
  session: sessionRouter,
  users: usersRouter,
  commandLog: commandLogRouter,
  settings: settingsRouter,
  clusters: clustersRouter,
  nodes: nodesRouter,
  onboarding: onboardingRouter,
  testResults: testResultsRouter,
  vms: vmsRouter,
  maintenance: maintenanceRouter,
  bulk: bulkRouter,
  findings: findingsRouter,
  timeline: timelineRouter,
  notifications: notificationsRouter,
  apiTokens: apiTokensRouter,
});

export type AppRouter = typeof appRouter;
