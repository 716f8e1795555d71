import { ClusterRepository } from "@corral/db";
import { TEST_PROVIDERS } from "@corral/db/testing";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scrapeMetrics } from "../testing/scrape-metrics.ts";
import { createTestServer, type TestServer } from "../testing/test-server.ts";

describe.each(TEST_PROVIDERS)("/metrics and API tokens on %s", (provider) => {
  let test: TestServer;
  let operator: { id: string; headers: Headers };
  let admin: Headers;
  let token: string;
  let tokenId: string;

  beforeAll(async () => {
    test = await createTestServer(provider);
    operator = await test.signedIn("operator");
    admin = (await test.signedIn("admin")).headers;
    const created = await (await test.caller(operator.headers)).apiTokens.create({
      name: "prometheus",
    });
    token = created.token;
    tokenId = created.summary.id;
    await new ClusterRepository(test.server.database.client).registerCluster(
      { id: "c1", name: "lab" },
      [],
    );
  });
  afterAll(() => test?.dispose());

  const uses = async () =>
    (
      await test.server.commandLog.repository.list({ kind: "action" }, { limit: 200 })
    ).entries.filter((entry) => entry.action === "api-token.use");

  it("shows a new token once: stored only as a hash, listed by its first characters", async () => {
    expect(token).toMatch(/^corral_[A-Za-z0-9_-]{43}$/);
    const row = await test.server.database.client.apiToken.findUnique({ where: { id: tokenId } });
    expect(row?.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(token);
    const mine = await (await test.caller(operator.headers)).apiTokens.mine();
    expect(mine).toMatchObject([{ id: tokenId, name: "prometheus", prefix: token.slice(0, 13) }]);
    expect(JSON.stringify(mine)).not.toContain(token);
    const all = await (await test.caller(admin)).apiTokens.list();
    expect(all.map((t) => t.owner.id)).toEqual([operator.id]);
  });

  it("refuses a scrape without a token, or with one it does not know", async () => {
    expect((await scrapeMetrics(test.server)).status).toBe(401);
    const before = (await uses()).length;
    expect((await scrapeMetrics(test.server, `corral_${"x".repeat(43)}`)).status).toBe(401);
    const [refused] = (await uses()).slice(0, (await uses()).length - before);
    expect(refused).toMatchObject({ ok: false, actorId: null });
  });

  it("serves findings by kind and severity and operation durations, parsed by a Prometheus parser; every use audited", async () => {
    await test.server.findings.applyObservation("c1", {
      checked: ["fencing-disabled", "maintenance-mode"],
      findings: [
        {
          kind: "fencing-disabled",
          vm: null,
          node: null,
          severity: "critical",
          summary: "Fencing is disabled on lab.",
          why: "why",
          fix: [],
        },
        {
          kind: "maintenance-mode",
          vm: null,
          node: null,
          severity: "warning",
          summary: "lab is in maintenance mode.",
          why: "why",
          fix: [],
        },
      ],
    });
    test.server.metrics.observeOperation("vm.migrate", 12.5, "succeeded");
    test.server.metrics.observeOperation("vm.migrate", 0.7, "failed");
    const before = (await uses()).length;

    const scrape = await scrapeMetrics(test.server, token);
    expect(scrape.status).toBe(200);
    expect(scrape.samples("corral_findings_open", { kind: "fencing-disabled" })).toEqual([
      { labels: { cluster: "lab", kind: "fencing-disabled", severity: "critical" }, value: "1" },
    ]);
    expect(
      scrape.samples("corral_findings_open", { kind: "maintenance-mode", severity: "warning" }),
    ).toHaveLength(1);
    const family = scrape.families.find((f) => f.name === "corral_operation_duration_seconds");
    expect(family?.type).toBe("HISTOGRAM");
    const migrated = { kind: "vm.migrate", result: "succeeded" };
    const value = (name: string, labels: Record<string, string>) =>
      scrape.samples(`corral_operation_duration_seconds_${name}`, labels).map((s) => s.value);
    expect(value("count", migrated)).toEqual(["1"]);
    expect(value("sum", migrated)).toEqual(["12.5"]);
    expect(value("bucket", { ...migrated, le: "10" })).toEqual(["0"]);
    expect(value("bucket", { ...migrated, le: "20" })).toEqual(["1"]);
    expect(value("bucket", { kind: "vm.migrate", result: "failed", le: "1" })).toEqual(["1"]);
    expect(scrape.families.some((f) => f.name === "corral_process_cpu_seconds_total")).toBe(true);

    const [use] = (await uses()).slice(0, (await uses()).length - before);
    expect(use).toMatchObject({
      ok: true,
      actorId: operator.id,
      detail: { id: tokenId, name: "prometheus", what: "metrics" },
    });
    expect((await test.server.apiTokens.find(tokenId))?.lastUsedAt).toBeInstanceOf(Date);
  });

  it("lets a token call the API as its owner, with the owner's role as it is now", async () => {
    // Each request builds its context: a caller per request, as the HTTP handler does.
    const asToken = () => test.caller(new Headers({ authorization: `Bearer ${token}` }));
    expect(await (await asToken()).notifications.channels()).toEqual([]);
    await (await test.caller(admin)).users.setRole({ userId: operator.id, role: "viewer" });
    try {
      const refused = await (await asToken()).notifications
        .channels()
        .catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(TRPCError);
      expect((refused as TRPCError).code).toBe("FORBIDDEN");
      expect(await (await asToken()).findings.list()).toEqual(expect.any(Array));
    } finally {
      await (await test.caller(admin)).users.setRole({ userId: operator.id, role: "operator" });
    }
  });

  it("is revocable by an admin, after which the token is refused", async () => {
    const other = await (await test.caller(operator.headers)).apiTokens.create({ name: "other" });
    const stranger = await test.signedIn("operator");
    const notTheirs = await (await test.caller(stranger.headers)).apiTokens
      .revoke({ id: other.summary.id })
      .catch((error: unknown) => error);
    expect((notTheirs as TRPCError).code).toBe("NOT_FOUND");
    await (await test.caller(admin)).apiTokens.revoke({ id: tokenId });
    expect((await scrapeMetrics(test.server, token)).status).toBe(401);
    expect((await scrapeMetrics(test.server, other.token)).status).toBe(200);
    const [revoked] = (await (await test.caller(admin)).apiTokens.list()).filter(
      (t) => t.id === tokenId,
    );
    expect(revoked?.revokedAt).toBeInstanceOf(Date);
    expect(revoked?.revokedByName).toMatch(/^admin-/);
  });
});
