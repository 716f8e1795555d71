import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestServer, type TestServer } from "../testing/test-server.ts";
import { handleAuthRequest } from "./handle-auth-request.ts";

const PROXY = "127.0.0.3";

function wrongPassword(test: TestServer, peer: string, headers: Record<string, string> = {}) {
  return handleAuthRequest(
    test.server,
    new Request(`${test.server.config.baseUrl}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({ email: "nobody@example.test", password: "wrong password!" }),
    }),
    peer,
  );
}

async function statuses(count: number, attempt: (i: number) => Promise<Response>) {
  const seen: number[] = [];
  for (let i = 0; i < count; i++) seen.push((await attempt(i)).status);
  return seen;
}

describe("the sign-in rate limit counts the real client address", () => {
  let test: TestServer;

  beforeAll(async () => {
    test = await createTestServer("sqlite", {
      CORRAL_LOGIN_ATTEMPTS_PER_MINUTE: "5",
      CORRAL_TRUSTED_PROXIES: PROXY,
    });
  });
  afterAll(() => test?.dispose());

  it("is not bypassed by a new X-Forwarded-For on every attempt", async () => {
    const seen = await statuses(40, (i) =>
      wrongPassword(test, "192.0.2.40", { "x-forwarded-for": `203.0.113.${i}` }),
    );
    expect(seen.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(seen.slice(5).every((status) => status === 429)).toBe(true);
  });

  it("is not bypassed by sending Corral's own address header", async () => {
    const seen = await statuses(7, (i) =>
      wrongPassword(test, "192.0.2.41", { "x-corral-client-address": `203.0.113.${i}` }),
    );
    expect(seen).toEqual([401, 401, 401, 401, 401, 429, 429]);
  });

  it("believes X-Forwarded-For from a trusted proxy and logs the client it names", async () => {
    // Two clients behind the proxy each get their own budget; the proxy itself is not limited.
    const first = await statuses(6, () =>
      wrongPassword(test, PROXY, { "x-forwarded-for": "spoofed, 198.51.100.7" }),
    );
    const second = await statuses(2, () =>
      wrongPassword(test, `::ffff:${PROXY}`, { "x-forwarded-for": "198.51.100.8" }),
    );
    expect(first).toEqual([401, 401, 401, 401, 401, 429]);
    expect(second).toEqual([401, 401]);
    const entries = await test.server.commandLog.repository.list(
      { kind: "action" },
      { limit: 500 },
    );
    const addresses = entries.entries
      .filter((entry) => entry.action === "auth.sign-in")
      .map((entry) => (entry.detail as { address?: string }).address);
    expect(addresses).toContain("198.51.100.7");
    expect(addresses).toContain("198.51.100.8");
    expect(addresses).toContain("192.0.2.40");
    expect(addresses).not.toContain("203.0.113.1");
    expect(addresses).not.toContain("spoofed");
  });
});
