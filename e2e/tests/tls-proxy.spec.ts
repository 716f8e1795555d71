import { statSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { PROXY_ADDRESS, type ProxiedCorral, startProxiedCorral } from "./tls-proxy.ts";

// Corral as teams run it: behind nginx terminating TLS (self-signed here), trusted through
// CORRAL_TRUSTED_PROXIES. Its own server and data directory, so it runs beside the main story.

const owner = { name: "Tess TLS", email: "tess@example.test", password: "tess-password-1" };
const spoofed = "203.0.113.66";

let proxied: ProxiedCorral;
test.beforeAll(async () => {
  proxied = await startProxiedCorral();
});
test.afterAll(async () => {
  await proxied?.stop();
});

test("behind a TLS proxy: Secure cookies, the client nginx names in the log, live updates", async ({
  browser,
}) => {
  const context = await browser.newContext({
    baseURL: proxied.url,
    ignoreHTTPSErrors: true,
    // A client naming itself: nginx appends the real address, and only that one counts.
    extraHTTPHeaders: { "x-forwarded-for": spoofed },
  });
  const page = await context.newPage();
  const first = await page.goto("/");
  const headers = first?.headers() ?? {};
  expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("same-origin");

  await page.getByTestId("first-admin-name").fill(owner.name);
  await page.getByTestId("first-admin-email").fill(owner.email);
  await page.getByTestId("first-admin-password").fill(owner.password);
  await page.getByTestId("first-admin-submit").click();
  await expect(page).toHaveURL(/\/clusters$/);

  const cookies = await context.cookies();
  expect(cookies.length).toBeGreaterThan(0);
  for (const cookie of cookies) {
    expect({ name: cookie.name, secure: cookie.secure, httpOnly: cookie.httpOnly }).toEqual({
      name: cookie.name,
      secure: true,
      httpOnly: true,
    });
  }

  // The command log page follows new entries over SSE through nginx.
  const liveLog = await context.newPage();
  await liveLog.goto("/command-log");
  await expect(liveLog.getByTestId("command-log-table")).toBeVisible();
  const input = { name: "Via Proxy", email: "via@example.test", password: "via-password-1" };
  const created = await page.request.post("/api/trpc/users.create", {
    data: { json: { ...input, role: "viewer" } },
    headers: { origin: proxied.url },
  });
  expect(created.status()).toBe(200);
  await expect(liveLog.getByTestId("command-log-row").filter({ hasText: input.email })).toHaveCount(
    1,
  );

  const query = encodeURIComponent(JSON.stringify({ json: { kind: "action", limit: 200 } }));
  const listed = await page.request.get(`/api/trpc/commandLog.list?input=${query}`);
  const { entries } = (await listed.json()).result.data.json as {
    entries: { action: string; ok: boolean; detail: { address?: string } | null }[];
  };
  const signIns = entries.filter((entry) => entry.action === "auth.sign-in" && entry.ok);
  expect(signIns.length).toBeGreaterThan(0);
  // The browser's own address as nginx saw it: not the proxy's, not the one the client sent.
  expect(signIns.map((entry) => entry.detail?.address)).toEqual(signIns.map(() => "127.0.0.1"));
  expect(JSON.stringify(entries)).not.toContain(spoofed);
  expect(JSON.stringify(entries)).not.toContain(PROXY_ADDRESS);

  // What the server keeps on disk is its user's alone.
  const mode = (file: string) =>
    (statSync(path.join(proxied.dataDir, file)).mode & 0o777).toString(8);
  expect({ dir: mode("."), db: mode("corral.db"), log: mode("corral.log") }).toEqual({
    dir: "700",
    db: "600",
    log: "600",
  });
  await context.close();
});
