// Applies pending migrations to the configured database (the SQLite file in the data directory,
// created on first run, or DATABASE_URL's PostgreSQL). Run before every start of Corral.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { resolveDatabaseTarget, resolveDataDir } from "../database-target.ts";
import { runPrismaCli } from "./run-prisma-cli.ts";

const target = resolveDatabaseTarget({
  dataDir: resolveDataDir(process.env.CORRAL_DATA_DIR),
  databaseUrl: process.env.DATABASE_URL,
});
if (target.provider === "sqlite") mkdirSync(path.dirname(target.file), { recursive: true });
process.exit(runPrismaCli(target.provider, ["migrate", "deploy"]));
