import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { isIP } from "node:net";
import path from "node:path";
import { AppError } from "@corral/core";
import { type DatabaseTarget, resolveDatabaseTarget, resolveDataDir } from "@corral/db";
import { z } from "zod";

/** A comma-separated list (empty by default), each entry trimmed and checked by `item`. */
function commaSeparated(item: z.ZodType<string, string>) {
  return z
    .string()
    .default("")
    .transform((value) =>
      value
        .split(",")
        .map((entry) => entry.trim())
        .filter(Boolean),
    )
    .pipe(z.array(item));
}

/**
 * Corral's settings, read from the environment once at start-up. A missing or invalid setting
 * stops start-up with a message naming it (README.md, "Configuration").
 */
const environmentSchema = z.object({
  CORRAL_DATA_DIR: z.string().trim().min(1).optional(),
  DATABASE_URL: z.string().trim().min(1).optional(),
  CORRAL_BASE_URL: z.url({ protocol: /^https?$/ }).default("http://127.0.0.1:3000"),
  CORRAL_TRUSTED_ORIGINS: commaSeparated(z.url({ protocol: /^https?$/ })),
  CORRAL_AUTH_SECRET: z
    .string()
    .min(32, "must be at least 32 characters (openssl rand -base64 32)")
    .optional(),
  CORRAL_LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace"]).default("info"),
  CORRAL_LOGIN_ATTEMPTS_PER_MINUTE: z.coerce.number().int().min(1).max(1000).default(10),
  /** A session not used for this long ends (7 days by default). */
  CORRAL_SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(5)
    .max(60 * 24 * 90)
    .default(60 * 24 * 7),
  /**
   * The reverse proxies whose X-Forwarded-For is believed (addresses or CIDR ranges); from any
   * other connection the client is the connection's own address.
   */
  CORRAL_TRUSTED_PROXIES: commaSeparated(
    z.string().refine(isAddressOrRange, "must be IP addresses or CIDR ranges"),
  ),
  /** base64 of 32 bytes; without it a key file is generated in the data directory. */
  CORRAL_CREDENTIAL_KEY: z.string().trim().optional(),
  /**
   * Within this time after an instance dies (kill -9, machine lost), another instance sharing
   * the database records its operations as interrupted (operation leases).
   */
  CORRAL_OPERATION_LEASE_SECONDS: z.coerce.number().int().min(3).max(600).default(60),
});

export interface Config {
  dataDir: string;
  database: DatabaseTarget;
  baseUrl: string;
  trustedOrigins: string[];
  trustedProxies: string[];
  authSecret: string;
  logLevel: z.infer<typeof environmentSchema>["CORRAL_LOG_LEVEL"];
  loginAttemptsPerMinute: number;
  sessionIdleMinutes: number;
  credentialKeySetting: string | undefined;
  operationLeaseMs: number;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join(".")}: ${issue.message}`,
    );
    throw new AppError("CONFIG_INVALID", `Invalid configuration: ${problems.join("; ")}`);
  }
  const settings = parsed.data;
  const dataDir = resolveDataDir(settings.CORRAL_DATA_DIR);
  // The database, the secrets and the log live here: Corral's user alone may list or read it.
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  chmodSync(dataDir, 0o700);
  return {
    dataDir,
    database: resolveDatabaseTarget({ dataDir, databaseUrl: settings.DATABASE_URL }),
    baseUrl: settings.CORRAL_BASE_URL.replace(/\/$/, ""),
    trustedOrigins: settings.CORRAL_TRUSTED_ORIGINS,
    trustedProxies: settings.CORRAL_TRUSTED_PROXIES,
    authSecret: settings.CORRAL_AUTH_SECRET ?? readOrCreateAuthSecret(dataDir),
    logLevel: settings.CORRAL_LOG_LEVEL,
    loginAttemptsPerMinute: settings.CORRAL_LOGIN_ATTEMPTS_PER_MINUTE,
    sessionIdleMinutes: settings.CORRAL_SESSION_IDLE_MINUTES,
    credentialKeySetting: settings.CORRAL_CREDENTIAL_KEY,
    operationLeaseMs: settings.CORRAL_OPERATION_LEASE_SECONDS * 1000,
  };
}

function isAddressOrRange(value: string): boolean {
  const [address = "", prefix, ...rest] = value.split("/");
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * Without CORRAL_AUTH_SECRET, a random secret is generated once into the data directory
 * (mode 0600), so sessions survive restarts and nothing secret has to be configured by hand.
 */
function readOrCreateAuthSecret(dataDir: string): string {
  const file = path.join(dataDir, "auth-secret");
  if (!existsSync(file)) {
    try {
      writeFileSync(file, randomBytes(32).toString("base64"), { mode: 0o600, flag: "wx" });
    } catch (error) {
      // Another process (or Next layer) created it first: use theirs.
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
  chmodSync(file, 0o600);
  const secret = readFileSync(file, "utf8").trim();
  if (secret.length < 32) {
    throw new AppError(
      "CONFIG_INVALID",
      `Invalid configuration: ${file} holds a secret shorter than 32 characters; delete it to generate a new one`,
    );
  }
  return secret;
}
