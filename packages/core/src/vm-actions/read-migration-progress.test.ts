import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseDomjobinfo } from "./read-migration-progress.ts";

const fixture = (name: string) =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");

describe("parseDomjobinfo (recorded on the lab during pcs resource move)", () => {
  it("reads an outgoing migration's memory transfer", () => {
    expect(parseDomjobinfo(fixture("virsh-domjobinfo-outgoing.txt"))).toEqual({
      active: true,
      operation: "Outgoing migration",
      elapsedMs: 1836,
      memoryProcessedBytes: Math.round(65.478 * 1024 ** 2),
      memoryRemainingBytes: 0,
      memoryTotalBytes: Math.round(96.508 * 1024 ** 2),
      fraction: 1,
    });
  });

  it("reads no job as inactive, without numbers", () => {
    expect(parseDomjobinfo(fixture("virsh-domjobinfo-none.txt"))).toMatchObject({
      active: false,
      fraction: null,
      memoryTotalBytes: null,
    });
  });

  it("computes the fraction from what is left", () => {
    const text = "Job type: Unbounded\nMemory total: 100.000 MiB\nMemory remaining: 25.000 MiB\n";
    expect(parseDomjobinfo(text).fraction).toBe(0.75);
  });

  it("refuses output that is not domjobinfo", () => {
    expect(() => parseDomjobinfo("error: failed to get domain 'web9'")).toThrow(/no job type/);
  });
});
