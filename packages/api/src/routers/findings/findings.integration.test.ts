import { ClusterRepository } from "@corral/db";
import { TEST_PROVIDERS } from "@corral/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestServer, type TestServer } from "../../testing/test-server.ts";

describe.each(TEST_PROVIDERS)("findings procedures on %s", (provider) => {
  let test: TestServer;

  beforeAll(async () => {
    test = await createTestServer(provider);
    await new ClusterRepository(test.server.database.client).registerCluster(
      { id: "c1", name: "lab" },
      [],
    );
    await test.server.findings.applyObservation("c1", {
      checked: ["maintenance-mode", "no-quorum"],
      findings: ["maintenance-mode" as const, "no-quorum" as const].map((kind) => ({
        kind,
        vm: null,
        node: null,
        severity: "warning" as const,
        summary: `${kind} on lab`,
        why: "why",
        fix: [],
      })),
    });
  });
  afterAll(() => test?.dispose());

  it("lists open findings to a viewer and takes an operator's acknowledgement or snooze, audited", async () => {
    const viewer = await test.caller((await test.signedIn("viewer")).headers);
    const operator = await test.signedIn("operator", "ops@example.test");
    const open = await viewer.findings.list({ state: "open", limit: 10 });
    expect(open.map((f) => f.kind).sort()).toEqual(["maintenance-mode", "no-quorum"]);
    const [maintenance, quorum] = [...open].sort((a, b) => a.kind.localeCompare(b.kind));

    const asOperator = await test.caller(operator.headers);
    const until = new Date(Date.now() + 3_600_000);
    await asOperator.findings.acknowledge({
      id: maintenance?.id ?? "",
      reason: "planned work until noon",
      until,
    });
    await asOperator.findings.acknowledge({ id: quorum?.id ?? "", reason: "known", until: null });
    const after = await viewer.findings.list({ state: "open", limit: 10 });
    expect(after.find((f) => f.id === maintenance?.id)?.acknowledgement).toMatchObject({
      byId: operator.id,
      byName: "ops@example.test",
      reason: "planned work until noon",
      until,
    });
    expect(after.find((f) => f.id === quorum?.id)?.acknowledgement?.until).toBeNull();
    const log = await test.server.commandLog.repository.list({ kind: "action" }, { limit: 50 });
    expect(log.entries.map((e) => e.action)).toEqual(
      expect.arrayContaining(["finding.snooze", "finding.acknowledge"]),
    );
    expect(log.entries.find((e) => e.action === "finding.snooze")).toMatchObject({
      actorId: operator.id,
      clusterId: "c1",
      ok: true,
    });

    await test.server.findings.applyObservation("c1", {
      checked: ["maintenance-mode"],
      findings: [],
    });
    const late = await asOperator.findings
      .acknowledge({ id: maintenance?.id ?? "", reason: "late", until: null })
      .catch((error: unknown) => error);
    expect(late).toMatchObject({ code: "CONFLICT" });
    const history = await viewer.findings.list({ state: "resolved", limit: 10 });
    expect(history.map((f) => f.id)).toEqual([maintenance?.id]);
  });

  it("offers a one-click fix only where one command is safe, and runs none for a finding without", async () => {
    const viewer = await test.caller((await test.signedIn("viewer")).headers);
    const operator = await test.caller((await test.signedIn("operator")).headers);
    const [quorum] = await viewer.findings.list({ state: "open", limit: 10 });
    expect(quorum).toMatchObject({ kind: "no-quorum", oneClick: null });
    expect(
      await operator.findings.fix({ id: quorum?.id ?? "" }).catch((e: unknown) => e),
    ).toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/no one-click fix/) });
    const [resolved] = await viewer.findings.list({ state: "resolved", limit: 10 });
    expect(resolved?.oneClick).toBeNull();
    expect(
      await operator.findings.fix({ id: resolved?.id ?? "" }).catch((e: unknown) => e),
    ).toMatchObject({ code: "CONFLICT" });
    expect(
      await viewer.findings.fix({ id: quorum?.id ?? "" }).catch((e: unknown) => e),
    ).toMatchObject({ code: "FORBIDDEN" });
  });
});
