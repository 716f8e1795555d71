import type { DbClient } from "@corral/db";
import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { admin } from "better-auth/plugins";
import { accessControl, authRoles } from "./access-control.ts";

export interface AuthOptions {
  db: DbClient;
  provider: "sqlite" | "postgres";
  secret: string;
  baseUrl: string;
  trustedOrigins: string[];
  loginAttemptsPerMinute: number;
}

/** Shown for a disabled account, after a correct password only. */
export const DISABLED_ACCOUNT_MESSAGE = "This account is disabled. Ask an admin to enable it.";

/**
 * better-auth owns passwords (scrypt) and sessions (signed cookies); Corral adds no crypto of its
 * own. Sign-up is closed: the first admin is created by the setup procedure, everyone else by an
 * admin on the Users page. Failed sign-ins answer with one generic message whether the email or
 * the password was wrong.
 */
export function createAuth(options: AuthOptions) {
  return betterAuth({
    secret: options.secret,
    baseURL: options.baseUrl,
    basePath: "/api/auth",
    trustedOrigins: [options.baseUrl, ...options.trustedOrigins],
    database: prismaAdapter(options.db, {
      provider: options.provider === "postgres" ? "postgresql" : "sqlite",
    }),
    emailAndPassword: {
      enabled: true,
      disableSignUp: true,
      minPasswordLength: 10,
      maxPasswordLength: 128,
    },
    session: { expiresIn: 60 * 60 * 24 * 7, updateAge: 60 * 60 * 24 },
    rateLimit: {
      enabled: true,
      window: 60,
      max: 300,
      customRules: {
        "/sign-in/*": { window: 60, max: options.loginAttemptsPerMinute },
      },
    },
    telemetry: { enabled: false },
    plugins: [
      admin({
        ac: accessControl,
        roles: authRoles,
        defaultRole: "viewer",
        adminRoles: ["admin"],
        bannedUserMessage: DISABLED_ACCOUNT_MESSAGE,
      }),
    ],
  });
}

export type Auth = ReturnType<typeof createAuth>;
