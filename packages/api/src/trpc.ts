import { AppError, isAppError } from "@corral/core";
import { initTRPC } from "@trpc/server";
import superjson from "superjson";
import { ZodError, z } from "zod";
import { appCodeOf, appErrorToTRPC } from "./app-error-to-trpc.ts";
import { authenticateApiToken } from "./auth/api-token.ts";
import { type Role, roleAtLeast } from "./auth/roles.ts";
import { whileSessionStands } from "./live-session.ts";
import type { CorralServer } from "./server.ts";

/** The signed-in operator, as every procedure sees it. */
export interface SessionUser {
  id: string;
  name: string;
  email: string;
  role: string;
}

export interface Context {
  server: CorralServer;
  /** The request's headers: better-auth's own API calls need the caller's session cookie. */
  headers: Headers;
  user: SessionUser | null;
  /** The client's address as resolved from the connection (null when unknown). */
  clientAddress: string | null;
}

/**
 * `refresh: false` asks without counting as a use (a live stream's re-checks must not keep an
 * idle session alive). Without a session, an API token (`Authorization: Bearer`) acts as its
 * owner, each request written to the command log.
 */
export async function createContext(
  server: CorralServer,
  headers: Headers,
  { refresh = true, clientAddress = null as string | null } = {},
): Promise<Context> {
  const session = await server.auth.api.getSession({
    headers,
    query: { disableRefresh: !refresh },
  });
  const user = session
    ? {
        id: session.user.id,
        name: session.user.name,
        email: session.user.email,
        role: session.user.role ?? "viewer",
      }
    : await authenticateApiToken(server, headers, {
        what: "api",
        clientAddress,
        recheck: !refresh,
      });
  return { server, headers, user, clientAddress };
}

/**
 * Who may call a procedure. Every procedure declares one through the kind it is built from;
 * src/routers/gates.integration.test.ts enumerates the router and fails on any without one.
 */
export type Access = "public" | "authenticated" | Role;
export interface ProcedureMeta {
  access: Access;
}

const t = initTRPC
  .context<Context>()
  .meta<ProcedureMeta>()
  .create({
    // Dates (command-log times) cross the wire as Dates.
    transformer: superjson,
    errorFormatter({ shape, error }) {
      return {
        ...shape,
        data: {
          ...shape.data,
          appCode: appCodeOf(error),
          // The field errors of invalid input, so forms can point at the field.
          fieldErrors:
            error.cause instanceof ZodError ? z.flattenError(error.cause).fieldErrors : undefined,
          stack: undefined,
        },
      };
    },
  });

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** AppErrors thrown anywhere below become tRPC errors here, through the one mapping. */
const mapAppErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && isAppError(result.error.cause)) throw appErrorToTRPC(result.error.cause);
  return result;
});

function allows(access: Exclude<Access, "public">, user: SessionUser): boolean {
  return access === "authenticated" || roleAtLeast(user.role, access);
}

function gate(access: Exclude<Access, "public">) {
  return t.middleware(async ({ ctx, next, type }) => {
    const user = ctx.user;
    if (!user) throw new AppError("UNAUTHENTICATED", "Sign in first.");
    if (!allows(access, user)) throw new AppError("FORBIDDEN", `This needs the ${access} role.`);
    const result = await next({ ctx: { user } });
    if (type !== "subscription" || !result.ok) return result;
    // A stream outlives the request that opened it: it ends when the session or the role does.
    const stillAllowed = async () => {
      const now = await createContext(ctx.server, ctx.headers, { refresh: false });
      return now.user?.id === user.id && allows(access, now.user);
    };
    return {
      ...result,
      data: whileSessionStands(result.data as AsyncIterable<unknown>, stillAllowed),
    };
  });
}

const base = t.procedure.use(mapAppErrors);

/** Anyone, signed in or not (the sign-in and first-run screens). */
export const publicProcedure = base.meta({ access: "public" });
/** Any signed-in operator, whatever the role. */
export const authenticatedProcedure = base
  .meta({ access: "authenticated" })
  .use(gate("authenticated"));
/** Reading clusters, VMs, results and the log. */
export const viewerProcedure = base.meta({ access: "viewer" }).use(gate("viewer"));
/** Acting on clusters and VMs. */
export const operatorProcedure = base.meta({ access: "operator" }).use(gate("operator"));
/** Managing operators and settings. */
export const adminProcedure = base.meta({ access: "admin" }).use(gate("admin"));

export type AuthenticatedContext = Context & { user: SessionUser };
