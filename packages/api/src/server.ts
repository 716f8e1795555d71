import { mkdirSync } from "node:fs";
import type { BlockList } from "node:net";
import { readAgentBundle } from "@corral/agent";
import { ClusterMonitor, type ClusterServices, loadCredentialKey, SshPool } from "@corral/core";
import {
  ApiTokenRepository,
  ClusterRepository,
  CommandLogRepository,
  createDatabase,
  type Database,
  FindingRepository,
  OperatorRepository,
  SettingRepository,
  VmLockRepository,
} from "@corral/db";
import { type Logger, pino } from "pino";
import { trustedProxyList } from "./auth/client-address.ts";
import { type Auth, createAuth } from "./auth/create-auth.ts";
import { CommandLogFeed } from "./command-log-feed.ts";
import { type Config, loadConfig } from "./config.ts";
import { CorralMetrics } from "./metrics/corral-metrics.ts";
import { NotificationService } from "./notifications/notification-service.ts";
import { RateLimit } from "./rate-limit.ts";
import { recordPacemakerMoves } from "./record-pacemaker-moves.ts";
import {
  operationRecovery,
  recoverInterruptedOperations,
  sweepLeases,
} from "./recover-interrupted-operations.ts";
import { BulkService } from "./routers/bulk/bulk-service.ts";
import { MaintenanceService } from "./routers/maintenance/maintenance-service.ts";
import { OnboardingService } from "./routers/onboarding/onboarding-service.ts";
import { firstAdminSetupToken } from "./routers/setup/setup-token.ts";
import { RetestService } from "./routers/test-results/retest-service.ts";
import { VmsService } from "./routers/vms/vms-service.ts";
import type { ServiceParts } from "./service-parts.ts";
import { recordFindings } from "./watch/record-findings.ts";

/** Everything a request needs, built once per process (the composition root). */
export interface CorralServer {
  config: Config;
  database: Database;
  auth: Auth;
  /** CORRAL_TRUSTED_PROXIES, whose X-Forwarded-For names the client (handleAuthRequest). */
  trustedProxies: BlockList;
  logger: Logger;
  operators: OperatorRepository;
  settings: SettingRepository;
  commandLog: CommandLogFeed;
  /** What cluster operations run with: the SSH pool, the cluster registry, the sealing key. */
  clusterServices: ClusterServices;
  /** Host key probes per operator: 60 a minute (enough for a large cluster's members). */
  hostKeyProbes: RateLimit;
  /** Live inventories; started on first use, so only the layer serving tRPC runs it. */
  clusterMonitor: ClusterMonitor;
  /** The services that own long operations, one each per server. */
  services: CorralServices;
  /** Findings, notifications, metrics and API tokens (the watch and automation). */
  findings: FindingRepository;
  notifications: NotificationService;
  metrics: CorralMetrics;
  apiTokens: ApiTokenRepository;
  /**
   * Start-up recovery of the operations a stopped Corral left (recoverInterruptedOperations);
   * procedures wait for it before using `services`. Never rejects. Afterwards the lease sweep
   * recovers those of any instance that dies.
   */
  recovered: Promise<void>;
  close(): Promise<void>;
}

interface CorralServices {
  onboarding: OnboardingService;
  vms: VmsService;
  retests: RetestService;
  maintenance: MaintenanceService;
  bulk: BulkService;
}

/** `database` lets tests hand in a database they created and migrated themselves. */
export async function createCorralServer(
  config: Config,
  options: { database?: Database } = {},
): Promise<CorralServer> {
  const logger = pino({ level: config.logLevel, redact: ["password", "*.password"] });
  const database =
    options.database ??
    (await createDatabase(config.database, {
      onEventBusError: (error) => logger.warn({ err: error }, "the event bus connection failed"),
    }));
  mkdirSync(config.dataDir, { recursive: true });
  const commandLog = new CommandLogFeed(new CommandLogRepository(database.client), database.events);
  const operators = new OperatorRepository(database.client);
  const auth = createAuth({
    db: database.client,
    provider: database.provider,
    secret: config.authSecret,
    baseUrl: config.baseUrl,
    trustedOrigins: config.trustedOrigins,
    loginAttemptsPerMinute: config.loginAttemptsPerMinute,
    sessionIdleMinutes: config.sessionIdleMinutes,
    // Failed attempts name no actor, and what was typed as the email is never kept (it may be
    // a password typed into the wrong field): only the id of the account it names, if any.
    onSignIn: async (attempt) =>
      commandLog.recordAction({
        actorId: attempt.userId,
        actorName: attempt.ok ? attempt.email : null,
        action: "auth.sign-in",
        detail: {
          userId: attempt.userId ?? (await operators.findIdByEmail(attempt.email)),
          address: attempt.address,
        },
        ok: attempt.ok,
        error: attempt.error ?? undefined,
        startedAt: new Date(),
        durationMs: 0,
      }),
  });
  const clusterServices: ClusterServices = {
    pool: new SshPool({ log: commandLog }),
    registry: new ClusterRepository(database.client),
    credentialKey: await loadCredentialKey({
      setting: config.credentialKeySetting,
      dataDir: config.dataDir,
    }),
    agent: readAgentBundle(),
  };
  const clusterMonitor = new ClusterMonitor(clusterServices);
  // Findings, notifications, metrics and API tokens.
  const findings = new FindingRepository(database.client);
  const notifications = new NotificationService({
    database,
    logger,
    credentialKey: clusterServices.credentialKey,
  });
  const metrics = new CorralMetrics({
    inventories: () => clusterMonitor.inventories(),
    openFindings: () => findings.countOpen(),
  });
  // The lease: renewed every sixth of it, stale after two thirds, swept every sixth, so another
  // instance recovers a dead one's operations within the configured time.
  const locks = new VmLockRepository(database.client, {
    staleAfterMs: Math.round((config.operationLeaseMs * 2) / 3),
    renewEveryMs: Math.round(config.operationLeaseMs / 6),
  });
  // What the live inventories show that no operation records: findings, Pacemaker's own moves.
  const stopFollowing = new AbortController();
  const following: Promise<unknown>[] = [
    recordFindings(
      clusterMonitor,
      findings,
      locks,
      notifications,
      commandLog,
      logger,
      stopFollowing.signal,
    ),
    notifications.run(stopFollowing.signal),
    recordPacemakerMoves(clusterMonitor, clusterServices, database, stopFollowing.signal).catch(
      (error: unknown) => logger.error({ err: error }, "recording Pacemaker's moves failed"),
    ),
  ];
  const parts: ServiceParts = { database, logger, commandLog, locks, metrics, clusterServices };
  const onboarding = new OnboardingService(parts);
  const vms = new VmsService(parts);
  const retests = new RetestService(parts, onboarding);
  const services: CorralServices = {
    onboarding,
    vms,
    retests,
    maintenance: new MaintenanceService(parts, vms, retests, (clusterId) =>
      clusterMonitor.inventory(clusterId),
    ),
    bulk: new BulkService(parts, vms, (clusterId) => clusterMonitor.inventory(clusterId)),
  };
  const server: CorralServer = {
    config,
    database,
    auth,
    trustedProxies: trustedProxyList(config.trustedProxies),
    logger,
    operators,
    settings: new SettingRepository(database.client),
    commandLog,
    clusterServices,
    hostKeyProbes: new RateLimit(60, 60_000),
    clusterMonitor,
    services,
    findings,
    notifications,
    metrics,
    apiTokens: new ApiTokenRepository(database.client),
    recovered: Promise.resolve(),
    async close() {
      await server.recovered;
      stopFollowing.abort();
      await Promise.all(following);
      await services.maintenance.close();
      await services.bulk.close();
      await services.vms.close();
      services.retests.retests.close();
      const stopping = clusterMonitor.stop();
      await clusterServices.pool.close();
      await stopping;
      await database.close();
    },
  };
  void operators.count().then(
    (count) => {
      if (count === 0) {
        logger.info(
          { setupToken: firstAdminSetupToken(config.authSecret) },
          "No operator yet: create the first admin on the sign-in page (from another machine, with this setup token)",
        );
      }
    },
    () => {},
  );
  const recovery = operationRecovery(parts, services);
  server.recovered = recoverInterruptedOperations(parts, recovery, { startUp: true })
    .catch((error: unknown) =>
      logger.error({ err: error }, "start-up recovery of interrupted operations failed"),
    )
    .then(() => {
      following.push(sweepLeases(parts, recovery, stopFollowing.signal));
    });
  return server;
}

let current: Promise<CorralServer> | undefined;

/**
 * The server of this module instance, configured from the environment on first use. Next
 * bundles server components and route handlers as separate layers, each with its own copy of
 * this module and of the libraries' classes, so each layer builds its own server rather than
 * sharing one across layers (where `instanceof` checks on errors would fail). Live events
 * (CommandLogFeed) therefore reach subscribers through the tRPC route, where they are written.
 */
export function getCorralServer(): Promise<CorralServer> {
  current ??= Promise.resolve().then(() => createCorralServer(loadConfig()));
  return current;
}
