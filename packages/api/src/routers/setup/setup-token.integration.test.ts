import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestServer, TEST_PASSWORD, type TestServer } from "../../testing/test-server.ts";
import { firstAdminSetupToken, needsSetupToken } from "./setup-token.ts";

describe("the first admin from another machine", () => {
  let test: TestServer;

  beforeAll(async () => {
    test = await createTestServer();
  });
  afterAll(() => test?.dispose());

  const admin = { name: "Remote", email: "remote@example.test", password: TEST_PASSWORD };

  it("needs the setup token from the server log; Corral's own machine does not", async () => {
    const remote = await test.caller(undefined, "192.0.2.90");
    expect(await remote.setup.status()).toEqual({
      needsFirstAdmin: true,
      setupTokenRequired: true,
    });
    expect(await (await test.caller(undefined, "::1")).setup.status()).toMatchObject({
      setupTokenRequired: false,
    });
    await expect(remote.setup.createFirstAdmin(admin)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      remote.setup.createFirstAdmin({ ...admin, setupToken: "0".repeat(32) }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await test.server.operators.count()).toBe(0);
    const setupToken = firstAdminSetupToken(test.server.config.authSecret);
    await remote.setup.createFirstAdmin({ ...admin, setupToken });
    expect((await test.server.operators.list()).map((user) => user.email)).toEqual([admin.email]);
    const { entries } = await test.server.commandLog.repository.list({}, { limit: 10 });
    expect(JSON.stringify(entries)).not.toContain(setupToken);
  });

  it("counts only loopback as Corral's own machine, and an unknown address as remote", () => {
    expect(needsSetupToken("127.0.0.1")).toBe(false);
    expect(needsSetupToken("127.9.9.9")).toBe(false);
    expect(needsSetupToken("::1")).toBe(false);
    expect(needsSetupToken("10.0.0.1")).toBe(true);
    expect(needsSetupToken("::ffff:10.0.0.1")).toBe(true);
    expect(needsSetupToken(null)).toBe(true);
  });
});
