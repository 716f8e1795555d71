import { COMMAND_OUTPUT_LIMIT, type CommandRecord, cutForLog } from "@corral/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, TEST_PROVIDERS, type TestDatabase } from "../testing/test-database.ts";
import { CommandLogRepository } from "./command-log-repository.ts";
import { OperatorRepository } from "./operator-repository.ts";
import { REDACTED } from "./redact-secrets.ts";
import { SettingRepository } from "./setting-repository.ts";

// The same suite for every provider: SQLite and PostgreSQL must behave identically.
describe.each(TEST_PROVIDERS)("repositories on %s", (provider) => {
  let test: TestDatabase;
  let log: CommandLogRepository;

  beforeAll(async () => {
    test = await createTestDatabase(provider);
    log = new CommandLogRepository(test.database.client);
    await test.database.client.user.create({
      data: { id: "u-admin", name: "Ada", email: "ada@example.test", role: "admin" },
    });
  });
  afterAll(() => test?.dispose());

  const command = (overrides: Partial<CommandRecord>): CommandRecord => ({
    actorId: null,
    clusterId: "c1",
    node: "node1",
    vm: null,
    argv: ["pcs", "status", "--full"],
    ok: true,
    exitCode: 0,
    startedAt: new Date("2026-01-01T00:00:00Z"),
    durationMs: 12.6,
    stdout: "ok",
    stderr: "",
    ...overrides,
  });

  it("stores commands with argv, the pool's verdict, exit code, actor name and output", async () => {
    const stdout = cutForLog("x".repeat(COMMAND_OUTPUT_LIMIT + 500), COMMAND_OUTPUT_LIMIT);
    await log.record(
      command({
        actorId: "u-admin",
        vm: "web1",
        ok: false,
        exitCode: 1,
        stdout,
        stderr: "failed: \u00e9\u{1F600} 'quotes' \"and\" \\back",
        startedAt: new Date("2026-01-01T00:00:01Z"),
      }),
    );
    const { entries } = await log.list({ vm: "web1" }, { limit: 10 });
    expect(entries).toHaveLength(1);
    const [entry] = entries;
    expect(entry).toMatchObject({
      kind: "command",
      actorId: "u-admin",
      actorName: "ada@example.test",
      clusterId: "c1",
      node: "node1",
      argv: ["pcs", "status", "--full"],
      ok: false,
      exitCode: 1,
      durationMs: 13,
      stderr: "failed: \u00e9\u{1F600} 'quotes' \"and\" \\back",
    });
    // Stored as the pool cut it, the count of what was cut included: not cut a second time.
    expect(entry?.stdout).toBe(stdout);
    expect(entry?.stdout).toMatch(/\n\[… 500 more bytes cut by Corral\]$/);
    expect(entry?.startedAt.toISOString()).toBe("2026-01-01T00:00:01.000Z");
  });

  it("stores actions without their secrets", async () => {
    await log.recordAction({
      actorId: "u-admin",
      actorName: "ada@example.test",
      action: "user.create",
      detail: { email: "op@example.test", role: "operator", password: "s3cret-pass" },
      ok: true,
      startedAt: new Date("2026-01-01T00:00:02Z"),
      durationMs: 5,
    });
    const { entries } = await log.list({ kind: "action" }, { limit: 10 });
    expect(entries[0]).toMatchObject({
      kind: "action",
      action: "user.create",
      argv: null,
      exitCode: null,
      detail: { email: "op@example.test", role: "operator", password: REDACTED },
    });
    const raw = await test.database.client.commandLogEntry.findMany();
    expect(JSON.stringify(raw)).not.toContain("s3cret-pass");
  });

  it("filters by user, node, VM and result, newest first, page by page", async () => {
    for (let i = 0; i < 5; i++) {
      await log.record(
        command({
          node: i % 2 ? "node2" : "node3",
          ok: i !== 4,
          exitCode: i === 4 ? 2 : 0,
          startedAt: new Date(Date.UTC(2026, 0, 2, 0, 0, i)),
        }),
      );
    }
    const node2 = await log.list({ node: "node2" }, { limit: 10 });
    expect(node2.entries.map((e) => e.startedAt.getUTCSeconds())).toEqual([3, 1]);

    const failed = await log.list({ result: "failed" }, { limit: 10 });
    expect(failed.entries.map((e) => e.exitCode)).toEqual([2, 1]);

    const byUser = await log.list({ actorId: "u-admin" }, { limit: 10 });
    expect(byUser.entries.map((e) => e.kind)).toEqual(["action", "command"]);

    const first = await log.list({}, { limit: 3 });
    const second = await log.list({}, { limit: 3, cursor: first.nextCursor });
    const third = await log.list({}, { limit: 3, cursor: second.nextCursor });
    const all = [...first.entries, ...second.entries, ...third.entries];
    expect(all).toHaveLength(7);
    expect(new Set(all.map((e) => e.id)).size).toBe(7);
    expect(third.nextCursor).toBeNull();
    const times = all.map((e) => e.startedAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it("narrows to a time range, and leaves out Corral's own commands when asked", async () => {
    // So far: the operator's command at 00:00:01, the action at 00:00:02, and five commands
    // without an operator (the watch's reads) on 2026-01-02.
    const day = await log.list(
      { from: new Date("2026-01-02T00:00:01Z"), to: new Date("2026-01-02T00:00:03Z") },
      { limit: 10 },
    );
    expect(day.entries.map((e) => e.startedAt.getUTCSeconds())).toEqual([3, 2, 1]);
    const operators = await log.list({ hidePolling: true }, { limit: 10 });
    expect(operators.entries.map((e) => [e.kind, e.actorId])).toEqual([
      ["action", "u-admin"],
      ["command", "u-admin"],
    ]);
    // The watch's own actions (a finding opened) are not polling: they stay.
    await log.recordAction({
      actorId: null,
      actorName: "Corral",
      action: "finding.opened",
      detail: {},
      ok: true,
      startedAt: new Date("2026-01-03T00:00:00Z"),
      durationMs: 0,
    });
    const withFinding = await log.list({ hidePolling: true }, { limit: 10 });
    expect(withFinding.entries.map((e) => e.action)).toEqual([
      "finding.opened",
      "user.create",
      null,
    ]);
  });

  it("lists the facets the filters offer", async () => {
    expect(await log.facets()).toEqual({
      actors: [{ id: "u-admin", name: "ada@example.test" }],
      nodes: ["node1", "node2", "node3"],
      vms: ["web1"],
    });
  });

  it("counts and lists operators as plain objects", async () => {
    const operators = new OperatorRepository(test.database.client);
    expect(await operators.count()).toBe(1);
    expect(await operators.countAdmins()).toBe(1);
    expect(await operators.list()).toEqual([
      expect.objectContaining({ id: "u-admin", role: "admin", disabled: false }),
    ]);
  });

  it("lets exactly one of many concurrent callers claim a key", async () => {
    const settings = new SettingRepository(test.database.client);
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => settings.claim("setup.first-admin", `caller-${i}`)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = results.indexOf(true);
    expect(await settings.get("setup.first-admin")).toBe(`caller-${winner}`);
    await settings.release("setup.first-admin");
    expect(await settings.claim("setup.first-admin", "again")).toBe(true);
    await settings.set("ui.theme", "dark");
    await settings.set("ui.theme", "light");
    expect(await settings.get("ui.theme")).toBe("light");
  });

  // Last: its entries are the newest, which the listing tests above must not see.
  it("keeps a row small when argv entries or action inputs are megabytes long", async () => {
    const megabyte = "m".repeat(1024 * 1024);
    await log.record(command({ vm: "huge1", argv: ["echo", ...Array(32).fill(megabyte)] }));
    await log.recordAction({
      actorId: "u-admin",
      actorName: "ada@example.test",
      action: "onboarding.start",
      vm: "huge1",
      detail: { settings: { guestAlive: { argv: [megabyte] } } },
      ok: false,
      startedAt: new Date("2026-01-01T00:00:05Z"),
      durationMs: 1,
    });
    const { entries } = await log.list({ vm: "huge1" }, { limit: 10 });
    expect(entries).toHaveLength(2);
    for (const entry of entries) expect(JSON.stringify(entry).length).toBeLessThan(256 * 1024);
    const stored = entries.find((entry) => entry.kind === "command");
    expect(stored?.argv?.[1]).toMatch(/^m+\n\[… [\d,]+ more bytes cut by Corral\]$/);
  });
});
