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

  /** A POST to `path` with this body, whole or as a stream with no Content-Length. */
  const post = (
    path: string,
    headers: Headers | Record<string, string>,
    body: string | ReadableStream<Uint8Array>,
  ) =>
    new Request(`${base}${path}`, { method: "POST", headers, body, duplex: "half" } as RequestInit);

  it("refuse a sign-in body of 64 MB before better-auth reads it", async () => {
    const headers = { "content-type": "application/json", origin: base };
    const password = "a".repeat(64 * 1024 * 1024);
    for (const body of [
      JSON.stringify({ email: "x@example.test", password }),
      streamed(8 * 1024 * 1024),
    ]) {
      const response = await handleAuthRequest(
        test.server,
        post("/api/auth/sign-in/email", headers, body),
        "192.0.2.70",
      );
      expect(response.status).toBe(413);
    }
  });

  it("refuse a tRPC body past the limit, sent whole or streamed", async () => {
    const admin = await test.signedIn("admin");
    const headers = new Headers(admin.headers);
    headers.set("content-type", "application/json");
    headers.set("origin", base);
    for (const body of [
      JSON.stringify({ json: { name: "x".repeat(2 * 1024 * 1024) } }),
      streamed(4 * 1024 * 1024),
    ]) {
      const response = await handleTrpcRequest(
        test.server,
        post("/api/trpc/users.create", headers, body),
        "192.0.2.72",
      );
      expect(response.status).toBe(413);
    }
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
        post("/api/trpc/users.create", headers, JSON.stringify({ json: input })),
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
