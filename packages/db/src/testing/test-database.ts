import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { runPrismaCli } from "../cli/run-prisma-cli.ts";
import { createDatabase, type Database } from "../create-database.ts";

export interface TestDatabase {
  database: Database;
  /** What another process opens the same database with (DATABASE_URL). */
  url: string;
  dispose(): Promise<void>;
}

export const TEST_PROVIDERS = ["sqlite", "postgres"] as const;

/**
 * A fresh, migrated database of one provider for an integration test: a SQLite file in a temp
 * directory, or a new database on the PostgreSQL server named by CORRAL_TEST_POSTGRES_URL
 * (scripts/test.sh starts a throwaway one). Dropped again by dispose().
 */
export async function createTestDatabase(
  provider: (typeof TEST_PROVIDERS)[number],
): Promise<TestDatabase> {
  if (provider === "sqlite") {
    const dir = mkdtempSync(path.join(os.tmpdir(), "corral-db-test-"));
    const file = path.join(dir, "corral.db");
    migrate("sqlite", `file:${file}`);
    const database = await createDatabase({ provider: "sqlite", file });
    return {
      database,
      url: `file:${file}`,
      async dispose() {
        await database.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const serverUrl = process.env.CORRAL_TEST_POSTGRES_URL;
  if (!serverUrl) {
    throw new Error(
      "CORRAL_TEST_POSTGRES_URL is not set: run the tests through `bash scripts/test.sh`, which starts a throwaway PostgreSQL 15 and sets it",
    );
  }
  const name = `corral_test_${crypto.randomUUID().replaceAll("-", "")}`;
  await adminQuery(serverUrl, `CREATE DATABASE "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  migrate("postgres", url.toString());
  const database = await createDatabase({ provider: "postgres", url: url.toString() });
  return {
    database,
    url: url.toString(),
    async dispose() {
      await database.close();
      await adminQuery(serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  };
}

function migrate(provider: "sqlite" | "postgres", databaseUrl: string): void {
  const code = runPrismaCli(provider, ["migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: databaseUrl },
    quiet: true,
  });
  if (code !== 0) throw new Error(`prisma migrate deploy (${provider}) exited with ${code}`);
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
