import { chmodSync, existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import type { DatabaseTarget } from "./database-target.ts";
import { type EventBus, InProcessEventBus, PostgresEventBus } from "./event-bus.ts";
import type { Prisma, PrismaClient } from "./generated/sqlite/client.ts";

/**
 * The Prisma client, typed once. Both providers are generated from the same models
 * (prisma/models.prisma), so the PostgreSQL client has the same delegates and is used through
 * this type; repositories never see which provider is behind it.
 */
export type DbClient = PrismaClient;

/** The client inside an interactive transaction: what a repository writing in one is given. */
export type DbTransaction = Prisma.TransactionClient;

export interface Database {
  readonly provider: DatabaseTarget["provider"];
  readonly client: DbClient;
  /** Live events between the instances sharing this database (in-process on SQLite). */
  readonly events: EventBus;
  close(): Promise<void>;
}

/**
 * Opens the database. Only the chosen provider's generated client and driver are loaded. The
 * schema must already be migrated (`pnpm --filter @corral/db migrate`, run by every start).
 */
export async function createDatabase(
  target: DatabaseTarget,
  options: { onEventBusError?: (error: unknown) => void } = {},
): Promise<Database> {
  if (target.provider === "sqlite") {
    mkdirSync(path.dirname(target.file), { recursive: true, mode: 0o700 });
    keepPrivate(target.file);
    const [{ PrismaClient: SqliteClient }, { PrismaBetterSQLite3 }] = await Promise.all([
      import("./generated/sqlite/client.ts"),
      import("@prisma/adapter-better-sqlite3"),
    ]);
    const client = new SqliteClient({ adapter: new PrismaBetterSQLite3({ url: target.file }) });
    // Readers never wait for a writer (the web's page layer and its API layer each hold a
    // connection, and later a poller writes state while pages read it).
    await client.$queryRawUnsafe("PRAGMA journal_mode = WAL");
    keepPrivate(target.file);
    const events = new InProcessEventBus();
    return {
      provider: "sqlite",
      client,
      events,
      close: async () => {
        await events.close();
        await client.$disconnect();
      },
    };
  }
  const [{ PrismaClient: PostgresClient }, { PrismaPg }] = await Promise.all([
    import("./generated/postgres/client.ts"),
    import("@prisma/adapter-pg"),
  ]);
  const client = new PostgresClient({
    adapter: new PrismaPg({ connectionString: target.url }),
  }) as unknown as DbClient;
  const events = new PostgresEventBus(target.url, options.onEventBusError);
  await events.listen();
  return {
    provider: "postgres",
    client,
    events,
    close: async () => {
      await events.close();
      await client.$disconnect();
    },
  };
}

/**
 * Password hashes, session tokens and sealed node credentials live in the SQLite file: only
 * Corral's user may read it. SQLite creates the -wal and -shm files with the database file's
 * mode, so the file is narrowed before it is opened, and all three once WAL mode made them.
 */
function keepPrivate(file: string): void {
  for (const each of [file, `${file}-wal`, `${file}-shm`]) {
    if (existsSync(each)) chmodSync(each, 0o600);
  }
}
