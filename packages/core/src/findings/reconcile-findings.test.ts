import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  FINDING_KINDS,
  type Finding,
  type FindingKind,
  findingKey,
  type ObservedFinding,
} from "./finding.types.ts";
import { reconcileFindings } from "./reconcile-findings.ts";

const T0 = new Date("2026-11-01T10:00:00Z");
const NOW = new Date("2026-11-01T10:05:00Z");

function observed(
  kind: FindingKind,
  subject: { vm?: string; node?: string } = {},
): ObservedFinding {
  return {
    kind,
    vm: subject.vm ?? null,
    node: subject.node ?? null,
    severity: "critical",
    summary: `${kind} ${subject.vm ?? ""} ${subject.node ?? ""}`,
    why: "because",
    fix: [`fix ${kind}`],
  };
}

let ids = 0;
function open(finding: ObservedFinding, extra: Partial<Finding> = {}): Finding {
  return {
    ...finding,
    id: `f${++ids}`,
    clusterId: "c1",
    openedAt: T0,
    resolvedAt: null,
    acknowledgement: null,
    ...extra,
  };
}

describe("reconcileFindings", () => {
  it("opens what is observed and not open, at now", () => {
    const result = reconcileFindings(
      [],
      { checked: ["double-run"], findings: [observed("double-run", { vm: "web1" })] },
      NOW,
    );
    expect(result.opened).toEqual([{ ...observed("double-run", { vm: "web1" }), openedAt: NOW }]);
    expect(result.resolved).toEqual([]);
    expect(result.unchanged).toEqual([]);
  });

  it("neither opens nor resolves the findings of a VM an operation holds, except a double run", () => {
    const outside = open(observed("running-outside-pacemaker", { vm: "web1" }));
    const result = reconcileFindings(
      [outside],
      {
        checked: ["running-outside-pacemaker", "stale-constraint", "double-run"],
        findings: [
          observed("stale-constraint", { vm: "web1" }),
          observed("double-run", { vm: "web1" }),
          observed("stale-constraint", { vm: "db1" }),
        ],
        held: ["web1"],
      },
      NOW,
    );
    expect(result.opened.map((f) => [f.kind, f.vm])).toEqual([
      ["double-run", "web1"],
      ["stale-constraint", "db1"],
    ]);
    expect(result.resolved).toEqual([]);
    expect(result.unchanged).toEqual([outside]);
  });

  it("resolves an open finding of a checked kind that is no longer observed, at now", () => {
    const finding = open(observed("no-quorum"));
    const result = reconcileFindings([finding], { checked: ["no-quorum"], findings: [] }, NOW);
    expect(result.resolved).toEqual([{ ...finding, resolvedAt: NOW }]);
    expect(result.opened).toEqual([]);
    expect(result.unchanged).toEqual([]);
  });

  it("never resolves a finding of a kind the observation did not check", () => {
    const finding = open(observed("libvirtd-down", { node: "node2" }));
    const result = reconcileFindings([finding], { checked: ["no-quorum"], findings: [] }, NOW);
    expect(result.unchanged).toEqual([finding]);
    expect(result.resolved).toEqual([]);
  });

  it("keeps a finding still observed as the same finding, with what is observed now", () => {
    const acknowledgement = { byId: "u1", byName: "a@x", reason: "known", at: T0, until: null };
    const finding = open(observed("persistent-definition", { vm: "web1" }), { acknowledgement });
    const now = { ...observed("persistent-definition", { vm: "web1" }), summary: "on node3 too" };
    const result = reconcileFindings(
      [finding],
      { checked: ["persistent-definition"], findings: [now] },
      NOW,
    );
    expect(result.unchanged).toEqual([{ ...finding, summary: "on node3 too" }]);
    expect(result.unchanged[0]?.id).toBe(finding.id);
    expect(result.unchanged[0]?.openedAt).toBe(T0);
    expect(result.unchanged[0]?.acknowledgement).toBe(acknowledgement);
    expect(result.opened).toEqual([]);
    expect(result.resolved).toEqual([]);
  });

  it("tells subjects apart: the same kind on another VM or node is another finding", () => {
    const web1 = open(observed("double-run", { vm: "web1" }));
    const result = reconcileFindings(
      [web1],
      {
        checked: ["double-run", "libvirtd-down"],
        findings: [
          observed("double-run", { vm: "web2" }),
          observed("libvirtd-down", { node: "node1" }),
          observed("libvirtd-down", { node: "node2" }),
        ],
      },
      NOW,
    );
    expect(result.resolved.map((f) => f.id)).toEqual([web1.id]);
    expect(result.opened.map(findingKey)).toEqual([
      findingKey({ kind: "double-run", vm: "web2", node: null }),
      findingKey({ kind: "libvirtd-down", vm: null, node: "node1" }),
      findingKey({ kind: "libvirtd-down", vm: null, node: "node2" }),
    ]);
  });

  it("opens a finding observed twice in one pass once (the first as observed)", () => {
    const first = observed("unmanaged", { vm: "web1" });
    const again = { ...first, summary: "again" };
    const result = reconcileFindings([], { checked: ["unmanaged"], findings: [first, again] }, NOW);
    expect(result.opened).toEqual([{ ...first, openedAt: NOW }]);
  });

  it("opens what it found of a kind it did not see in full, and resolves none of that kind", () => {
    const web1 = open(observed("double-run", { vm: "web1" }));
    const result = reconcileFindings(
      [web1],
      { checked: [], findings: [observed("double-run", { vm: "web2" })] },
      NOW,
    );
    expect(result.opened.map((f) => f.vm)).toEqual(["web2"]);
    expect(result.resolved).toEqual([]);
    expect(result.unchanged).toEqual([web1]);
  });

  it("an empty observation that checked nothing changes nothing", () => {
    const findings = FINDING_KINDS.map((kind) => open(observed(kind)));
    const result = reconcileFindings(findings, { checked: [], findings: [] }, NOW);
    expect(result).toEqual({ opened: [], resolved: [], unchanged: findings });
  });

  // Every combination of kind and subject over small domains: each open finding ends in exactly
  // one of resolved and unchanged, each observed key is open afterwards exactly once, and
  // applying the result then observing the same again changes nothing (no flapping).
  it("partitions the open findings and settles after one pass (property)", () => {
    const subject = fc.record({
      kind: fc.constantFrom(...FINDING_KINDS),
      vm: fc.constantFrom(null, "web1", "db1"),
      node: fc.constantFrom(null, "node1", "node2"),
    });
    fc.assert(
      fc.property(
        fc.uniqueArray(subject, { selector: findingKey, maxLength: 12 }),
        fc.array(subject, { maxLength: 12 }),
        fc.subarray([...FINDING_KINDS]),
        (openSubjects, observedSubjects, checked) => {
          const openFindings = openSubjects.map((s) =>
            open(observed(s.kind, { vm: s.vm ?? undefined, node: s.node ?? undefined })),
          );
          const findings = observedSubjects.map((s) =>
            observed(s.kind, { vm: s.vm ?? undefined, node: s.node ?? undefined }),
          );
          const result = reconcileFindings(openFindings, { checked, findings }, NOW);

          const ids = [...result.resolved, ...result.unchanged].map((f) => f.id).sort();
          expect(ids).toEqual(openFindings.map((f) => f.id).sort());
          // Resolved exactly: open, of a kind seen in full, and not observed.
          const observedKeys = new Set(findings.map(findingKey));
          expect(result.resolved.map((f) => f.id).sort()).toEqual(
            openFindings
              .filter((f) => checked.includes(f.kind) && !observedKeys.has(findingKey(f)))
              .map((f) => f.id)
              .sort(),
          );
          const openAfter = [
            ...result.unchanged,
            ...result.opened.map((f) => open(f, { openedAt: f.openedAt })),
          ];
          const keysAfter = openAfter.map(findingKey);
          expect(new Set(keysAfter).size).toBe(keysAfter.length);
          for (const f of findings) expect(keysAfter).toContain(findingKey(f));

          const again = reconcileFindings(openAfter, { checked, findings }, NOW);
          expect(again.opened).toEqual([]);
          expect(again.resolved).toEqual([]);
        },
      ),
    );
  });
});
