import type { DbClient } from "@corral/db";
import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { createAuthMiddleware, getIP, isAPIError } from "better-auth/api";
import { admin } from "better-auth/plugins";
import { accessControl, authRoles } from "./access-control.ts";
import { CLIENT_ADDRESS_HEADER } from "./client-address.ts";

/** One sign-in attempt that reached the password check (throttled ones never do). */
export interface SignInAttempt {
  email: string;
  /** The operator's id when the attempt succeeded. */
  userId: string | null;
  ok: boolean;
  /** better-auth's reason when it failed. */
  error: string | null;
  address: string | null;
}

export interface AuthOptions {
  db: DbClient;
  provider: "sqlite" | "postgres";
  secret: string;
  baseUrl: string;
  trustedOrigins: string[];
  loginAttemptsPerMinute: number;
  sessionIdleMinutes: number;
  /** Called after every sign-in attempt, to put it in the command log. */
  onSignIn(attempt: SignInAttempt): Promise<void>;
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
    // A session ends once unused for the idle time: each use after a tenth of it (at most a day)
    // pushes its end out again.
    session: {
      expiresIn: options.sessionIdleMinutes * 60,
      updateAge: Math.min(options.sessionIdleMinutes * 6, 60 * 60 * 24),
    },
    rateLimit: {
      enabled: true,
      window: 60,
      max: 300,
      customRules: {
        "/sign-in/*": { window: 60, max: options.loginAttemptsPerMinute },
      },
    },
    // The address handleAuthRequest resolved from the connection, never X-Forwarded-For as sent.
    advanced: { ipAddress: { ipAddressHeaders: [CLIENT_ADDRESS_HEADER] } },
    telemetry: { enabled: false },
    hooks: {
      after: createAuthMiddleware(async (ctx) => {
        if (ctx.path !== "/sign-in/email") return;
        const returned = ctx.context.returned;
        const failed = isAPIError(returned);
        await options.onSignIn({
          email: String((ctx.body as { email?: unknown } | undefined)?.email ?? ""),
          userId: failed ? null : (ctx.context.newSession?.user.id ?? null),
          ok: !failed,
          error: failed ? (returned as Error).message : null,
          address: ctx.request ? getIP(ctx.request, ctx.context.options) : null,
        });
      }),
    },
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
