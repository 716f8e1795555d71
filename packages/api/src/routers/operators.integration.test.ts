import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DISABLED_ACCOUNT_MESSAGE } from "../auth/create-auth.ts";
import { handleAuthRequest } from "../http/handle-auth-request.ts";
import {
  createTestServer,
  signIn,
  TEST_PASSWORD,
  type TestServer,
} from "../testing/test-server.ts";

const codeOf = (error: unknown) => (error instanceof TRPCError ? error.code : String(error));

function signInRequest(test: TestServer, email: string, password: string, ip: string) {
  return handleAuthRequest(
    test.server,
    new Request(`${test.server.config.baseUrl}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email, password }),
    }),
    ip,
  );
}

describe("operators: first admin, sign-in, roles, disable, remove", () => {
  let test: TestServer;

  beforeAll(async () => {
    test = await createTestServer("sqlite", { CORRAL_LOGIN_ATTEMPTS_PER_MINUTE: "5" });
  });
  afterAll(() => test?.dispose());

  it("creates the first admin exactly once, even when asked concurrently", async () => {
    const anonymous = await test.caller();
    expect(await anonymous.setup.status()).toEqual({
      needsFirstAdmin: true,
      setupTokenRequired: false,
    });
    const attempts = await Promise.allSettled(
      Array.from({ length: 5 }, (_, i) =>
        anonymous.setup.createFirstAdmin({
          name: `Admin ${i}`,
          email: `admin${i}@example.test`,
          password: TEST_PASSWORD,
        }),
      ),
    );
    expect(attempts.filter((a) => a.status === "fulfilled")).toHaveLength(1);
    for (const attempt of attempts.filter((a) => a.status === "rejected")) {
      expect(codeOf(attempt.reason)).toBe("CONFLICT");
    }
    expect(await anonymous.setup.status()).toEqual({
      needsFirstAdmin: false,
      setupTokenRequired: false,
    });
    expect(await test.server.operators.count()).toBe(1);
    await expect(
      anonymous.setup.createFirstAdmin({
        name: "Late",
        email: "late@example.test",
        password: TEST_PASSWORD,
      }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("refuses a short password with a message naming the field", async () => {
    const anonymous = await test.caller();
    const error = await anonymous.setup
      .createFirstAdmin({ name: "x", email: "x@example.test", password: "short" })
      .catch((e) => e);
    expect(codeOf(error)).toBe("BAD_REQUEST");
    expect(String(error.message)).toMatch(/at least 10 characters/);
  });

  it("answers a wrong email and a wrong password with the same generic message", async () => {
    const [admin] = await test.server.operators.list();
    const wrongPassword = await signInRequest(
      test,
      admin?.email ?? "",
      "wrong password!",
      "192.0.2.20",
    );
    const unknownEmail = await signInRequest(
      test,
      "nobody@example.test",
      TEST_PASSWORD,
      "192.0.2.21",
    );
    expect(wrongPassword.status).toBe(401);
    expect(unknownEmail.status).toBe(401);
    const [a, b] = (await Promise.all([wrongPassword.json(), unknownEmail.json()])) as {
      message: string;
    }[];
    expect(a?.message).toBe(b?.message);
    expect(a?.message).toMatch(/invalid email or password/i);
  });

  it("rate-limits sign-in attempts per client address", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      statuses.push(
        (await signInRequest(test, "nobody@example.test", "nope-nope-nope", "192.0.2.30")).status,
      );
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    // Another address is not affected.
    expect(
      (await signInRequest(test, "nobody@example.test", "nope-nope-nope", "192.0.2.31")).status,
    ).toBe(401);
  });

  it("logs a failed sign-in by the account it names, never by what was typed", async () => {
    const [admin] = await test.server.operators.list();
    // A password typed into the email field, and a wrong password for a real account.
    await signInRequest(test, "Tr0ub4dor&3-in-the-wrong-field", TEST_PASSWORD, "192.0.2.80");
    await signInRequest(test, (admin?.email ?? "").toUpperCase(), "wrong password!", "192.0.2.81");
    const { entries } = await test.server.commandLog.repository.list(
      { kind: "action" },
      { limit: 500 },
    );
    expect(JSON.stringify(entries)).not.toContain("Tr0ub4dor");
    const failed = entries.filter((e) => e.action === "auth.sign-in" && !e.ok);
    expect(failed.map((e) => e.detail)).toContainEqual({
      userId: admin?.id,
      address: "192.0.2.81",
    });
    expect(failed.map((e) => e.detail)).toContainEqual({ userId: null, address: "192.0.2.80" });
  });

  it("lets an admin add operators and viewers who then act within their role", async () => {
    const admin = await test.signedIn("admin");
    const asAdmin = await test.caller(admin.headers);
    await asAdmin.users.create({
      name: "Olga Operator",
      email: "olga@example.test",
      password: TEST_PASSWORD,
      role: "operator",
    });
    await asAdmin.users.create({
      name: "Vic Viewer",
      email: "VIC@example.test",
      password: TEST_PASSWORD,
      role: "viewer",
    });
    const users = await asAdmin.users.list();
    expect(users.map((u) => [u.email, u.role])).toEqual(
      expect.arrayContaining([
        ["olga@example.test", "operator"],
        ["vic@example.test", "viewer"],
      ]),
    );
    await expect(
      asAdmin.users.create({
        name: "Dup",
        email: "olga@example.test",
        password: TEST_PASSWORD,
        role: "viewer",
      }),
    ).rejects.toMatchObject({ code: "CONFLICT" });

    const asViewer = await test.caller(await signIn(test.server, "vic@example.test"));
    expect(await asViewer.session.current()).toMatchObject({
      email: "vic@example.test",
      role: "viewer",
    });
    await expect(asViewer.users.list()).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(asViewer.commandLog.list({})).resolves.toBeDefined();
  });

  it("disables, re-enables and changes roles; an admin cannot lock themselves out", async () => {
    const admin = await test.signedIn("admin");
    const asAdmin = await test.caller(admin.headers);
    const olga = (await asAdmin.users.list()).find((u) => u.email === "olga@example.test");
    if (!olga) throw new Error("olga missing");
    const olgaSession = await signIn(test.server, "olga@example.test");

    await asAdmin.users.setDisabled({ userId: olga.id, disabled: true });
    expect(await (await test.caller(olgaSession)).session.current()).toBeNull();
    const refused = await signInRequest(test, "olga@example.test", TEST_PASSWORD, "192.0.2.40");
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { message: string }).message).toBe(DISABLED_ACCOUNT_MESSAGE);

    await asAdmin.users.setDisabled({ userId: olga.id, disabled: false });
    await asAdmin.users.setRole({ userId: olga.id, role: "admin" });
    const asOlga = await test.caller(await signIn(test.server, "olga@example.test"));
    expect(await asOlga.session.current()).toMatchObject({ role: "admin" });

    for (const attempt of [
      () => asAdmin.users.remove({ userId: admin.id }),
      () => asAdmin.users.setDisabled({ userId: admin.id, disabled: true }),
      () => asAdmin.users.setRole({ userId: admin.id, role: "viewer" }),
    ]) {
      await expect(attempt()).rejects.toMatchObject({ code: "CONFLICT" });
    }
  });

  it("removes an operator and ends their sessions", async () => {
    const admin = await test.signedIn("admin");
    const asAdmin = await test.caller(admin.headers);
    const vic = (await asAdmin.users.list()).find((u) => u.email === "vic@example.test");
    if (!vic) throw new Error("vic missing");
    const vicSession = await signIn(test.server, "vic@example.test");
    await asAdmin.users.remove({ userId: vic.id });
    expect(await (await test.caller(vicSession)).session.current()).toBeNull();
    expect((await asAdmin.users.list()).map((u) => u.email)).not.toContain("vic@example.test");
    await expect(asAdmin.users.remove({ userId: vic.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("logs every user action with its actor, without passwords, failures included", async () => {
    const admin = await test.signedIn("admin");
    const asAdmin = await test.caller(admin.headers);
    const { entries } = await asAdmin.commandLog.list({ kind: "action", limit: 200 });
    const actions = entries.map((e) => e.action);
    for (const action of [
      "setup.first-admin",
      "user.create",
      "user.disable",
      "user.enable",
      "user.set-role",
      "user.remove",
    ]) {
      expect(actions).toContain(action);
    }
    const failedRemovals = entries.filter((e) => e.action === "user.remove" && !e.ok);
    expect(failedRemovals.map((e) => e.stderr)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/cannot remove your own account/),
        "User not found",
      ]),
    );
    expect(JSON.stringify(entries)).not.toContain(TEST_PASSWORD);
    const signIns = entries.filter((e) => e.action === "auth.sign-in");
    expect(signIns.some((e) => e.ok && e.actorId === admin.id)).toBe(true);
    expect(signIns.some((e) => !e.ok && e.actorId === null && e.detail?.userId === null)).toBe(
      true,
    );
    const failedOnly = await asAdmin.commandLog.list({ kind: "action", result: "failed" });
    expect(failedOnly.entries.every((e) => !e.ok)).toBe(true);
  });
});
