import { existsSync } from "node:fs";
import path from "node:path";
import { AppError } from "@corral/core";

/** Where the data lives: the embedded SQLite file, or a PostgreSQL server. */
export type DatabaseTarget =
  | { provider: "sqlite"; file: string }
  | { provider: "postgres"; url: string };

/**
 * SQLite in the data directory unless DATABASE_URL names PostgreSQL. A DATABASE_URL that is
 * neither stops start-up rather than silently falling back to SQLite.
 */
export function resolveDatabaseTarget(options: {
  dataDir: string;
  databaseUrl?: string | undefined;
}): DatabaseTarget {
  const url = options.databaseUrl?.trim();
  if (!url) return { provider: "sqlite", file: path.join(options.dataDir, "corral.db") };
  if (/^postgres(ql)?:\/\//.test(url)) return { provider: "postgres", url };
  if (url.startsWith("file:")) {
    return { provider: "sqlite", file: path.resolve(options.dataDir, url.slice("file:".length)) };
  }
  throw new AppError(
    "CONFIG_INVALID",
    "DATABASE_URL must start with postgres://, postgresql:// or file: (or be unset for the SQLite default)",
  );
}

/**
 * The data directory: CORRAL_DATA_DIR, or `data/` at the repository root. Relative paths are
 * taken from the repository root so every package and script agrees on one place, whichever
 * package directory a process was started in.
 */
export function resolveDataDir(value: string | undefined, cwd = process.cwd()): string {
  return path.resolve(findRepoRoot(cwd), value?.trim() || "data");
}

/** The nearest directory holding pnpm-workspace.yaml, else `from` itself. */
function findRepoRoot(from: string): string {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "pnpm-workspace.yaml"))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(from);
  }
}
