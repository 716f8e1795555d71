import { describe, expect, it } from "vitest";
import { LOGGED_VALUE_LIMIT, shortenLoggedValues } from "./shorten-logged-values.ts";

describe("shortenLoggedValues", () => {
  it("keeps a row small however large the argv entries or action inputs were", () => {
    const megabyte = "x".repeat(1024 * 1024);
    const argv = Array.from({ length: 32 }, () => megabyte);
    const stored = JSON.stringify(shortenLoggedValues(argv));
    expect(stored.length).toBeLessThan(32 * (LOGGED_VALUE_LIMIT + 100));
    const [first] = shortenLoggedValues(argv) as string[];
    expect(first?.startsWith("x".repeat(LOGGED_VALUE_LIMIT))).toBe(true);
    expect(first).toMatch(/\n\[… 1,044,480 more bytes cut by Corral\]$/);

    const detail = { request: { step: "test", argv: [megabyte] }, when: new Date(0), n: 3 };
    expect(shortenLoggedValues(detail)).toEqual({
      request: { step: "test", argv: [expect.stringMatching(/cut by Corral\]$/)] },
      when: new Date(0),
      n: 3,
    });
  });

  it("leaves short values as they are", () => {
    expect(shortenLoggedValues(["pcs", "resource", "move", "web1"])).toEqual([
      "pcs",
      "resource",
      "move",
      "web1",
    ]);
  });
});
