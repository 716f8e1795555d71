import { describe, expect, it } from "vitest";
import { isRole, ROLES, roleAtLeast } from "./roles.ts";

describe("roles", () => {
  it("orders viewer < operator < admin, each including the ones before", () => {
    const may = ROLES.map((role) => ROLES.map((required) => roleAtLeast(role, required)));
    expect(may).toEqual([
      [true, false, false],
      [true, true, false],
      [true, true, true],
    ]);
  });

  it("lets unknown or missing roles do nothing", () => {
    for (const role of ["user", "", "Admin", null, undefined, 3]) {
      expect(isRole(role)).toBe(false);
      expect(roleAtLeast(role, "viewer")).toBe(false);
    }
  });
});
