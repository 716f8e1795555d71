import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestServer, TEST_PASSWORD, type TestServer } from "../testing/test-server.ts";
import { handleAuthRequest } from "./handle-auth-request.ts";
import { handleTrpcRequest } from "./handle-trpc-request.ts";

/** A body that arrives in pieces with no Content-Length, as a chunked upload does. */
function streamed(bytes: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= bytes) return controller.close();
      const chunk = new Uint8Array(Math.min(64 * 1024, bytes - sent)).fill(0x61);
      sent += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
}

describe("the route handlers", () => {
  let test: TestServer;
  let base: string;

  beforeAll(async () => {
    test = await createTestServer();
    base = test.server.config.baseUrl;
  });
  afterAll(() => test?.dispose());

  it("refuse a sign-in body of 64 MB before better-auth reads it", async () => {
    const password = "a".repeat(64 * 1024 * 1024);
    const response = await handleAuthRequest(
      test.server,
      new Request(`${base}/api/auth/sign-in/email`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: base },
        body: JSON.stringify({ email: "x@example.test", password }),
      }),
      "192.0.2.70",
    );
    expect(response.status).toBe(413);
    const chunked = await handleAuthRequest(
      test.server,
      new Request(`${base}/api/auth/sign-in/email`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: base },
        body: streamed(8 * 1024 * 1024),
        duplex: "half",
      } as RequestInit),
      "192.0.2.71",
    );
    expect(chunked.status).toBe(413);
  });

  it("refuse a tRPC body past the limit, sent whole or streamed", async () => {
    const admin = await test.signedIn("admin");
    const headers = new Headers(admin.headers);
    headers.set("content-type", "application/json");
    headers.set("origin", base);
    const big = JSON.stringify({ json: { name: "x".repeat(2 * 1024 * 1024) } });
    const whole = await handleTrpcRequest(
      test.server,
      new Request(`${base}/api/trpc/users.create`, { method: "POST", headers, body: big }),
      "192.0.2.72",
    );
    expect(whole.status).toBe(413);
    const chunked = await handleTrpcRequest(
      test.server,
      new Request(`${base}/api/trpc/users.create`, {
        method: "POST",
        headers,
        body: streamed(4 * 1024 * 1024),
        duplex: "half",
      } as RequestInit),
      "192.0.2.72",
    );
    expect(chunked.status).toBe(413);
  });

  it("run a mutation from Corral's own origin and refuse one from another site", async () => {
    const admin = await test.signedIn("admin");
    const create = (origin: string | null, email: string) => {
      const headers = new Headers(admin.headers);
      headers.set("content-type", "application/json");
      if (origin) headers.set("origin", origin);
      else headers.set("sec-fetch-site", "cross-site");
      const input = { name: email, email, password: TEST_PASSWORD, role: "admin" };
      return handleTrpcRequest(
        test.server,
        new Request(`${base}/api/trpc/users.create`, {
          method: "POST",
          headers,
          body: JSON.stringify({ json: input }),
        }),
        "192.0.2.72",
      );
    };
    expect((await create("https://attacker.example", "evil@example.test")).status).toBe(403);
    expect((await create(null, "evil2@example.test")).status).toBe(403);
    expect((await create(base, "fine@example.test")).status).toBe(200);
    const emails = (await test.server.operators.list()).map((user) => user.email);
    expect(emails).toContain("fine@example.test");
    expect(emails).not.toContain("evil@example.test");
    expect(emails).not.toContain("evil2@example.test");
  });
});
