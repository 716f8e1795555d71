import {
  CommandLogRepository,
  createDatabase,
  type Database,
  OperatorRepository,
  SettingRepository,
} from "@corral/db";
import { type Logger, pino } from "pino";
import { type Auth, createAuth } from "./auth/create-auth.ts";
import { CommandLogFeed } from "./command-log-feed.ts";
import { type Config, loadConfig } from "./config.ts";

/** Everything a request needs, built once per process (the composition root). */
export interface CorralServer {
  config: Config;
  database: Database;
  auth: Auth;
  logger: Logger;
  operators: OperatorRepository;
  settings: SettingRepository;
  commandLog: CommandLogFeed;
  close(): Promise<void>;
}

/** `database` lets tests hand in a database they created and migrated themselves. */
export async function createCorralServer(
  config: Config,
  options: { database?: Database } = {},
): Promise<CorralServer> {
  const logger = pino({ level: config.logLevel, redact: ["password", "*.password"] });
  const database = options.database ?? (await createDatabase(config.database));
  const commandLog = new CommandLogFeed(new CommandLogRepository(database.client));
  const auth = createAuth({
    db: database.client,
    provider: database.provider,
    secret: config.authSecret,
    baseUrl: config.baseUrl,
    trustedOrigins: config.trustedOrigins,
    loginAttemptsPerMinute: config.loginAttemptsPerMinute,
    // Failed attempts name no actor: the email is only what was typed.
    onSignIn: (attempt) =>
      commandLog.recordAction({
        actorId: attempt.userId,
        actorName: attempt.ok ? attempt.email : null,
        action: "auth.sign-in",
        detail: { email: attempt.email, address: attempt.address },
        ok: attempt.ok,
        error: attempt.error ?? undefined,
        startedAt: new Date(),
        durationMs: 0,
      }),
  });
  return {
    config,
    database,
    auth,
    logger,
    operators: new OperatorRepository(database.client),
    settings: new SettingRepository(database.client),
    commandLog,
    close: () => database.close(),
  };
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
