import { describe, expect, it } from "vitest";
import { cutForLog } from "./command-log.ts";

describe("cutForLog", () => {
  it("keeps text within the limit as it is", () => {
    expect(cutForLog("pcs status", 10)).toBe("pcs status");
    expect(cutForLog("", 0)).toBe("");
  });

  it("keeps the limit's bytes and counts every byte it cut", () => {
    expect(cutForLog("x".repeat(12_345 + 16), 16)).toBe(
      `${"x".repeat(16)}\n[… 12,345 more bytes cut by Corral]`,
    );
  });

  it("never cuts through a character, and counts its bytes as cut", () => {
    // "é" is two bytes, "😀" four: a limit of 3 falls inside the emoji.
    expect(cutForLog("é😀ab", 3)).toBe("é\n[… 6 more bytes cut by Corral]");
    expect(cutForLog("é😀ab", 6)).toBe("é😀\n[… 2 more bytes cut by Corral]");
  });
});
