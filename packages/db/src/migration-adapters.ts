import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import type {
  SqlDriverAdapter,
  SqlMigrationAwareDriverAdapterFactory,
  SqlQuery,
} from "@prisma/driver-adapter-utils";
import pg from "pg";
import { pgConfigFromUrl } from "./pg-connection.ts";

/**
 * Driver adapters for the Prisma CLI (migrate), which runs on its WebAssembly schema engine.
 * Each works around a gap of the 6.19 adapters described in shared/NOTES.md; the application's
 * runtime client uses the stock adapters (create-database.ts).
 */

/** Replace one method of an adapter, keeping the rest (and its `this`) as it is. */
function override<K extends keyof SqlDriverAdapter>(
  adapter: SqlDriverAdapter,
  key: K,
  replacement: SqlDriverAdapter[K],
): SqlDriverAdapter {
  return new Proxy(adapter, {
    get: (target, property, receiver) =>
      property === key ? replacement : Reflect.get(target, property, receiver),
  });
}

/**
 * The engine replays a whole migration.sql into the shadow database with one executeRaw, which
 * better-sqlite3 refuses when it holds several statements: run such a script as a script.
 */
export function sqliteMigrationAdapter(file: string): SqlMigrationAwareDriverAdapterFactory {
  const factory = new PrismaBetterSQLite3({ url: file });
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: () => factory.connect(),
    async connectToShadowDb() {
      const shadow = await factory.connectToShadowDb();
      const executeRaw = shadow.executeRaw.bind(shadow);
      return override(shadow, "executeRaw", async (query: SqlQuery) => {
        if (query.args.length > 0) return executeRaw(query);
        try {
          return await executeRaw(query);
        } catch (error) {
          if (!/more than one statement/i.test(String((error as Error)?.message ?? error))) {
            throw error;
          }
          await shadow.executeScript(query.sql);
          return 0;
        }
      });
    },
  };
}

// pg type ids of `name` and `"char"`, which migrate reads from the catalog and adapter-pg 6.19
// cannot map (prisma/orm#27403); both are plain text to the engine.
const NAME_OID = 19;
const CHAR_OID = 18;
const TEXT_OID = 25;

/** A pool whose results report catalog `name`/`"char"` columns as text. */
class CatalogTextPool extends pg.Pool {
  // biome-ignore lint/suspicious/noExplicitAny: pg's overloaded query signature
  override query(...args: any[]): any {
    // biome-ignore lint/suspicious/noExplicitAny: forwarding the same overloads
    const pending = (super.query as (...a: any[]) => any)(...args);
    if (!(pending instanceof Promise)) return pending;
    return pending.then((result: pg.QueryResult) => {
      for (const field of result.fields ?? []) {
        if (field.dataTypeID === NAME_OID || field.dataTypeID === CHAR_OID) {
          field.dataTypeID = TEXT_OID;
        }
      }
      return result;
    });
  }
}

export function postgresMigrationAdapter(url: string): SqlMigrationAwareDriverAdapterFactory {
  const config = { ...pgConfigFromUrl(url), allowExitOnIdle: true };
  const connectTo = (database: string | undefined) =>
    new PrismaPg(new CatalogTextPool({ ...config, database }), {
      disposeExternalPool: true,
    }).connect();
  const adminQuery = async (sql: string) => {
    const client = new pg.Client(config);
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  return {
    provider: "postgres",
    adapterName: "@prisma/adapter-pg",
    connect: () => connectTo(config.database),
    async connectToShadowDb() {
      const database = `corral_shadow_${crypto.randomUUID().replaceAll("-", "")}`;
      await adminQuery(`CREATE DATABASE "${database}"`);
      const shadow = await connectTo(database);
      // The stock adapter drops the shadow database before closing its pool, which PostgreSQL
      // refuses while the pool's connections are open: close first, then drop.
      return override(shadow, "dispose", async () => {
        await shadow.dispose();
        await adminQuery(`DROP DATABASE IF EXISTS "${database}"`);
      });
    },
  };
}
