import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handleAuthRequest } from "../http/handle-auth-request.ts";
import { LIVE_SESSION_RECHECK_MS } from "../live-session.ts";
import { createTestServer, type TestServer } from "../testing/test-server.ts";

describe("a live subscription", () => {
  let test: TestServer;

  beforeAll(async () => {
    test = await createTestServer();
  });
  afterAll(() => test?.dispose());

  /** Reads the command log's live stream until it ends; resolves with how it ended. */
  async function follow(headers: Headers) {
    const caller = await test.caller(headers);
    const stream = await caller.commandLog.onChange();
    let events = 0;
    const ended = (async () => {
      try {
        for await (const _ of stream) events++;
        return "ended";
      } catch (error) {
        return `error: ${(error as { code?: string }).code}`;
      }
    })();
    return { ended, events: () => events };
  }

  it("ends once its operator is disabled, removed or signed out, and not before", async () => {
    const admin = await test.signedIn("admin");
    const asAdmin = await test.caller(admin.headers);
    const [disabled, removed, signedOut, staying] = await Promise.all([
      test.signedIn("viewer"),
      test.signedIn("operator"),
      test.signedIn("viewer"),
      test.signedIn("viewer"),
    ]);
    const streams = await Promise.all(
      [disabled, removed, signedOut, staying].map(({ headers }) => follow(headers)),
    );
    await asAdmin.users.setDisabled({ userId: disabled.id, disabled: true });
    await asAdmin.users.remove({ userId: removed.id });
    const signOut = new Headers(signedOut.headers);
    signOut.set("content-type", "application/json");
    signOut.set("origin", test.server.config.baseUrl);
    const response = await handleAuthRequest(
      test.server,
      new Request(`${test.server.config.baseUrl}/api/auth/sign-out`, {
        method: "POST",
        headers: signOut,
        body: "{}",
      }),
      "192.0.2.60",
    );
    expect(response.status).toBe(200);

    const within = LIVE_SESSION_RECHECK_MS * 2 + 2_000;
    const outcome = (ended: Promise<string>) =>
      Promise.race([ended, sleep(within).then(() => "still streaming")]);
    const [a, b, c, d] = await Promise.all(streams.map(({ ended }) => outcome(ended)));
    expect({ disabled: a, removed: b, signedOut: c }).toEqual({
      disabled: "error: UNAUTHORIZED",
      removed: "error: UNAUTHORIZED",
      signedOut: "error: UNAUTHORIZED",
    });
    // The one whose session stands still gets events (the admin's actions were logged).
    expect(d).toBe("still streaming");
    expect(streams[3]?.events()).toBeGreaterThan(0);
  }, 60_000);
});
