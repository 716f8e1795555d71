export { createDatabase, type Database, type DbClient } from "./create-database.ts";
export { type DatabaseTarget, resolveDatabaseTarget, resolveDataDir } from "./database-target.ts";
export * from "./repositories/cluster-repository.ts";
export * from "./repositories/command-log-repository.ts";
export * from "./repositories/migration-repository.ts";
export * from "./repositories/operator-repository.ts";
export { REDACTED } from "./repositories/redact-secrets.ts";
export * from "./repositories/setting-repository.ts";
export * from "./repositories/vm-lock-repository.ts";
