import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTestServer,
  signIn,
  TEST_PASSWORD,
  type TestServer,
} from "../testing/test-server.ts";

describe("passwords", () => {
  let test: TestServer;

  beforeAll(async () => {
    test = await createTestServer();
  });
  afterAll(() => test?.dispose());

  const signedInAs = async (headers: Headers) =>
    (await (await test.caller(headers)).session.current())?.id ?? null;

  it("an admin's reset ends every session of that operator and logs no password", async () => {
    const admin = await test.signedIn("admin");
    const asAdmin = await test.caller(admin.headers);
    const viewer = await test.signedIn("viewer", "reset-me@example.test");
    const elsewhere = await signIn(test.server, "reset-me@example.test");
    await asAdmin.users.setPassword({ userId: viewer.id, password: "a brand new password" });
    expect(await signedInAs(viewer.headers)).toBeNull();
    expect(await signedInAs(elsewhere)).toBeNull();
    await expect(signIn(test.server, "reset-me@example.test")).rejects.toThrow(/401/);
    await signIn(test.server, "reset-me@example.test", "a brand new password");
    await expect(
      asAdmin.users.setPassword({ userId: admin.id, password: "my own new password" }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    const { entries } = await asAdmin.commandLog.list({ kind: "action", limit: 200 });
    expect(entries.map((e) => e.action)).toContain("user.set-password");
    expect(JSON.stringify(entries)).not.toContain("a brand new password");
  });

  it("changing one's own password keeps this session and ends the others", async () => {
    const operator = await test.signedIn("operator", "changer@example.test");
    const elsewhere = await signIn(test.server, "changer@example.test");
    const here = await test.caller(operator.headers);
    await expect(
      here.session.changePassword({
        currentPassword: "not my password",
        newPassword: "x".repeat(12),
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await signedInAs(elsewhere)).toBe(operator.id);
    await here.session.changePassword({
      currentPassword: TEST_PASSWORD,
      newPassword: "my changed password",
    });
    expect(await signedInAs(operator.headers)).toBe(operator.id);
    expect(await signedInAs(elsewhere)).toBeNull();
    await expect(signIn(test.server, "changer@example.test")).rejects.toThrow(/401/);
    await signIn(test.server, "changer@example.test", "my changed password");
  });
});

describe("the idle timeout", () => {
  it("ends a session CORRAL_SESSION_IDLE_MINUTES after its last use", async () => {
    const test = await createTestServer("sqlite", { CORRAL_SESSION_IDLE_MINUTES: "30" });
    try {
      const viewer = await test.signedIn("viewer");
      const [session] = await test.server.database.client.session.findMany({
        where: { userId: viewer.id },
      });
      const left = (session?.expiresAt.getTime() ?? 0) - Date.now();
      expect(left).toBeGreaterThan(29 * 60_000);
      expect(left).toBeLessThanOrEqual(30 * 60_000);
      // Unused past its end, the session no longer signs anyone in.
      await test.server.database.client.session.updateMany({
        where: { userId: viewer.id },
        data: { expiresAt: new Date(Date.now() - 1000) },
      });
      expect(await (await test.caller(viewer.headers)).session.current()).toBeNull();
    } finally {
      await test.dispose();
    }
  });
});
