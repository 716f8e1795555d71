import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTestServer,
  signIn,
  TEST_PASSWORD,
  type TestServer,
} from "../testing/test-server.ts";
import { handleAuthRequest } from "./handle-auth-request.ts";

describe("better-auth's HTTP endpoints", () => {
  let test: TestServer;

  beforeAll(async () => {
    test = await createTestServer();
  });
  afterAll(() => test?.dispose());

  function post(path: string, headers: Headers, body: unknown) {
    const sent = new Headers(headers);
    sent.set("content-type", "application/json");
    sent.set("origin", test.server.config.baseUrl);
    return handleAuthRequest(
      test.server,
      new Request(`${test.server.config.baseUrl}/api/auth${path}`, {
        method: "POST",
        headers: sent,
        body: JSON.stringify(body),
      }),
      "192.0.2.50",
    );
  }

  it("serve none of the admin plugin's or account endpoints, even to an admin", async () => {
    const admin = await test.signedIn("admin");
    const other = await test.signedIn("viewer");
    const attempts = {
      "/admin/set-role": { userId: admin.id, role: "viewer" },
      "/admin/set-user-password": { userId: other.id, newPassword: "a new password!" },
      "/admin/impersonate-user": { userId: other.id },
      "/admin/ban-user": { userId: other.id },
      "/admin/remove-user": { userId: other.id },
      "/admin/create-user": {
        email: "sneaky@example.test",
        password: TEST_PASSWORD,
        name: "Sneaky",
        role: "admin",
      },
      "/admin/revoke-user-sessions": { userId: other.id },
      "/change-password": { currentPassword: TEST_PASSWORD, newPassword: "a new password!" },
      "/update-user": { name: "Renamed" },
      "/change-email": { newEmail: "else@example.test" },
      "/sign-up/email": { email: "self@example.test", password: TEST_PASSWORD, name: "Self" },
      "/revoke-sessions": {},
    };
    for (const [path, body] of Object.entries(attempts)) {
      const response = await post(path, admin.headers, body);
      expect({ path, status: response.status }).toEqual({ path, status: 404 });
    }
    const users = await test.server.operators.list();
    expect(users.find((user) => user.id === admin.id)?.role).toBe("admin");
    expect(users.map((user) => user.email)).not.toContain("sneaky@example.test");
    expect(users.find((user) => user.id === other.id)?.name).not.toBe("Renamed");
    // The other operator still signs in with their own password, their session still works.
    await signIn(test.server, users.find((user) => user.id === other.id)?.email ?? "");
    const asOther = await test.caller(other.headers);
    expect(await asOther.session.current()).not.toBeNull();
  });

  it("serve sign-in, the session and sign-out", async () => {
    const viewer = await test.signedIn("viewer");
    const session = await handleAuthRequest(
      test.server,
      new Request(`${test.server.config.baseUrl}/api/auth/get-session`, {
        headers: viewer.headers,
      }),
      "192.0.2.51",
    );
    expect(session.status).toBe(200);
    expect(((await session.json()) as { user: { id: string } }).user.id).toBe(viewer.id);
    expect((await post("/sign-out", viewer.headers, {})).status).toBe(200);
    expect(await (await test.caller(viewer.headers)).session.current()).toBeNull();
  });
});
