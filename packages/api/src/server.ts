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
  const auth = createAuth({
    db: database.client,
    provider: database.provider,
    secret: config.authSecret,
    baseUrl: config.baseUrl,
    trustedOrigins: config.trustedOrigins,
    loginAttemptsPerMinute: config.loginAttemptsPerMinute,
  });
  return {
    config,
    database,
    auth,
    logger,
    operators: new OperatorRepository(database.client),
    settings: new SettingRepository(database.client),
    commandLog: new CommandLogFeed(new CommandLogRepository(database.client)),
    close: () => database.close(),
  };
}

const processServer = Symbol.for("corral.server");
type ProcessGlobal = typeof globalThis & { [processServer]?: Promise<CorralServer> };

/**
 * The server of this process, configured from the environment on first use. Kept on globalThis
 * so every route handler bundle of Next shares one database connection.
 */
export function getCorralServer(): Promise<CorralServer> {
  const holder = globalThis as ProcessGlobal;
  holder[processServer] ??= Promise.resolve().then(() => createCorralServer(loadConfig()));
  return holder[processServer];
}
