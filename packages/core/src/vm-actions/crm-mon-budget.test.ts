import { describe, expect, it } from "vitest";
import { crmMonTimeoutMs, recordCrmMonRun } from "./crm-mon-budget.ts";

describe("crmMonTimeoutMs", () => {
  it("gives a cluster not seen yet, or none, 15 s", () => {
    expect(crmMonTimeoutMs("new-cluster")).toBe(15_000);
    expect(crmMonTimeoutMs(null)).toBe(15_000);
  });

  it("keeps 15 s for a small cluster and four times its last run for a large one", () => {
    recordCrmMonRun("small", { ms: 300, timedOut: false });
    expect(crmMonTimeoutMs("small")).toBe(15_000);
    // 3,000 VMs on 32 nodes: crm_mon took 13 s.
    recordCrmMonRun("large", { ms: 13_000, timedOut: false });
    expect(crmMonTimeoutMs("large")).toBe(52_000);
  });

  it("doubles after a run that ran out of time, up to 5 min, and follows the runs again after", () => {
    for (const expected of [30_000, 60_000, 120_000, 240_000, 300_000, 300_000]) {
      recordCrmMonRun("growing", { ms: 0, timedOut: true });
      expect(crmMonTimeoutMs("growing")).toBe(expected);
    }
    recordCrmMonRun("growing", { ms: 20_000, timedOut: false });
    expect(crmMonTimeoutMs("growing")).toBe(80_000);
  });
});
