import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createTestDatabase, type TEST_PROVIDERS } from "@corral/db/testing";
import type { Role } from "../auth/roles.ts";
import { loadConfig } from "../config.ts";
import { handleAuthRequest } from "../http/handle-auth-request.ts";
import { appRouter } from "../routers/app.router.ts";
import { type CorralServer, createCorralServer } from "../server.ts";
import { createCallerFactory, createContext } from "../trpc.ts";

const createCaller = createCallerFactory(appRouter);

export const TEST_PASSWORD = "correct horse battery";

export interface TestServer {
  server: CorralServer;
  /** Creates an operator with `role` and returns the headers of a signed-in session. */
  signedIn(role: Role, email?: string): Promise<{ id: string; headers: Headers }>;
  /** A tRPC caller acting with these request headers (none: anonymous), from this address. */
  caller(headers?: Headers, clientAddress?: string): Promise<ReturnType<typeof createCaller>>;
  dispose(): Promise<void>;
}

/** A real Corral server (better-auth, repositories) on a fresh migrated database. */
export async function createTestServer(
  provider: (typeof TEST_PROVIDERS)[number] = "sqlite",
  env: NodeJS.ProcessEnv = {},
): Promise<TestServer> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "corral-api-test-"));
  const test = await createTestDatabase(provider);
  const config = loadConfig({
    CORRAL_DATA_DIR: dataDir,
    CORRAL_AUTH_SECRET: "test-secret-test-secret-test-secret-0123",
    CORRAL_LOG_LEVEL: "warn",
    ...env,
  });
  const server = await createCorralServer(config, { database: test.database });
  let created = 0;
  return {
    server,
    async signedIn(role, email = `${role}-${++created}@example.test`) {
      const { user } = await server.auth.api.createUser({
        body: { email, password: TEST_PASSWORD, name: `${role} ${created}`, role },
      });
      return { id: user.id, headers: await signIn(server, email) };
    },
    async caller(headers = new Headers(), clientAddress = "127.0.0.1") {
      return createCaller(await createContext(server, headers, { clientAddress }));
    },
    async dispose() {
      // Background work (the cluster monitor, the pool) stops before its database goes away.
      await server.close();
      await test.dispose();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

let signIns = 0;

/**
 * Signs in through the auth route's handler and returns headers carrying the session cookie.
 * Each sign-in comes from its own documentation address, so tests never trip the rate limit.
 */
export async function signIn(server: CorralServer, email: string, password = TEST_PASSWORD) {
  signIns++;
  const response = await handleAuthRequest(
    server,
    new Request(`${server.config.baseUrl}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email, password }),
    }),
    `198.51.100.${signIns % 250}`,
  );
  if (!response.ok) throw new Error(`sign-in of ${email} failed: ${response.status}`);
  const cookie = response.headers
    .getSetCookie()
    .map((line) => line.split(";")[0])
    .join("; ");
  return new Headers({ cookie });
}
