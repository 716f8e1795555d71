import path from "node:path";
import { defineConfig } from "prisma/config";
import { resolveDatabaseTarget, resolveDataDir } from "../database-target.ts";
import { postgresMigrationAdapter, sqliteMigrationAdapter } from "../migration-adapters.ts";

const prismaDir = path.resolve(import.meta.dirname, "../../../../prisma");

/**
 * The Prisma CLI's configuration for one provider: its schema folder (datasource + generator +
 * the shared models) and migration history under prisma/<provider>, on the JavaScript engine.
 */
export function definePrismaConfig(provider: "sqlite" | "postgres") {
  return defineConfig({
    experimental: { adapter: true },
    engine: "js",
    schema: path.join(prismaDir, provider),
    migrations: { path: path.join(prismaDir, provider, "migrations") },
    async adapter() {
      const target = resolveDatabaseTarget({
        dataDir: resolveDataDir(process.env.CORRAL_DATA_DIR),
        databaseUrl: process.env.DATABASE_URL,
      });
      if (target.provider !== provider) {
        throw new Error(
          `This is the ${provider} configuration but DATABASE_URL selects ${target.provider}`,
        );
      }
      return target.provider === "sqlite"
        ? sqliteMigrationAdapter(target.file)
        : postgresMigrationAdapter(target.url);
    },
  });
}
