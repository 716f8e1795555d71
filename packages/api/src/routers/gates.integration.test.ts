import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROLES, type Role } from "../auth/roles.ts";
import { createTestServer, type TestServer } from "../testing/test-server.ts";
import type { Access } from "../trpc.ts";
import { appRouter } from "./app.router.ts";

// Every procedure of the whole router, found by walking it: a procedure added later is covered
// without touching this file, and one built without a gate fails the first test.
// (At run time _def.procedures is flat, keyed by dotted path; its type is the nested record.)
const procedures = Object.entries(
  appRouter._def.procedures as unknown as Record<
    string,
    { _def: { type: "query" | "mutation" | "subscription"; meta?: { access?: Access } } }
  >,
).map(([path, procedure]) => ({
  path,
  type: procedure._def.type,
  access: procedure._def.meta?.access,
}));

const gated = procedures.filter((p) => p.access !== "public");

/** The roles that must be refused by a procedure gated at `access`. */
function rolesBelow(access: Access): Role[] {
  if (access === "public" || access === "authenticated") return [];
  return ROLES.slice(0, ROLES.indexOf(access));
}

async function call(test: TestServer, headers: Headers | undefined, path: string) {
  const caller = await test.caller(headers);
  const fn = path
    .split(".")
    .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller);
  try {
    const result = await (fn as (input: unknown) => Promise<unknown>)(undefined);
    // A subscription returns its stream; the gate has run by then.
    if (result && typeof result === "object" && Symbol.asyncIterator in result) {
      await (result as AsyncGenerator).return(undefined);
    }
    return null;
  } catch (error) {
    return error;
  }
}

describe("the gates of the whole router", () => {
  let test: TestServer;
  const sessions = new Map<Role, Headers>();

  beforeAll(async () => {
    test = await createTestServer("sqlite");
    for (const role of ROLES) sessions.set(role, (await test.signedIn(role)).headers);
  });
  afterAll(() => test?.dispose());

  it("finds the procedures, and every one declares who may call it", () => {
    expect(procedures.length).toBeGreaterThanOrEqual(12);
    const undeclared = procedures.filter((p) => !p.access).map((p) => p.path);
    expect(undeclared, "procedures without a gate (build them from a kind in trpc.ts)").toEqual([]);
    // Public procedures are few and deliberate: adding one means adding it here, knowingly.
    expect(procedures.filter((p) => p.access === "public").map((p) => p.path)).toEqual([
      "setup.status",
      "setup.createFirstAdmin",
      "session.current",
    ]);
    expect(gated.some((p) => p.type === "subscription")).toBe(true);
  });

  it.each(gated)("$path ($access) refuses anonymous callers", async ({ path }) => {
    const error = await call(test, undefined, path);
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe("UNAUTHORIZED");
  });

  it.each(gated)("$path ($access) refuses every lower role", async ({ path, access }) => {
    for (const role of rolesBelow(access as Access)) {
      const error = await call(test, sessions.get(role), path);
      expect(error, `${role} calling ${path}`).toBeInstanceOf(TRPCError);
      expect((error as TRPCError).code, `${role} calling ${path}`).toBe("FORBIDDEN");
    }
  });

  it.each(gated)("$path ($access) lets its own role past the gate", async ({ path, access }) => {
    const role: Role = access === "authenticated" ? "viewer" : (access as Role);
    const error = await call(test, sessions.get(role), path);
    // Past the gate the (missing) input may be refused, but never the caller.
    if (error instanceof TRPCError) expect(["UNAUTHORIZED", "FORBIDDEN"]).not.toContain(error.code);
    else expect(error).toBeNull();
  });
});
