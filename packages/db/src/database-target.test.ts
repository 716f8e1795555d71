import path from "node:path";
import { describe, expect, it } from "vitest";
import { resolveDatabaseTarget, resolveDataDir } from "./database-target.ts";

describe("resolveDatabaseTarget", () => {
  it("defaults to corral.db in the data directory", () => {
    expect(resolveDatabaseTarget({ dataDir: "/srv/corral" })).toEqual({
      provider: "sqlite",
      file: "/srv/corral/corral.db",
    });
  });

  it("selects PostgreSQL for postgres URLs", () => {
    for (const url of ["postgres://u@h/db", "postgresql://u@h:5433/db"]) {
      expect(resolveDatabaseTarget({ dataDir: "/d", databaseUrl: url })).toEqual({
        provider: "postgres",
        url,
      });
    }
  });

  it("takes file: URLs relative to the data directory", () => {
    expect(resolveDatabaseTarget({ dataDir: "/d", databaseUrl: "file:other.db" })).toEqual({
      provider: "sqlite",
      file: "/d/other.db",
    });
  });

  it("refuses anything else, naming the setting", () => {
    expect(() => resolveDatabaseTarget({ dataDir: "/d", databaseUrl: "mysql://x" })).toThrow(
      /DATABASE_URL/,
    );
  });
});

describe("resolveDataDir", () => {
  it("resolves relative paths from the repository root, wherever the process started", () => {
    const root = path.resolve(import.meta.dirname, "../../..");
    const cwd = path.join(root, "apps/web");
    expect(resolveDataDir(undefined, cwd)).toBe(path.join(root, "data"));
    expect(resolveDataDir("var/x", cwd)).toBe(path.join(root, "var/x"));
    expect(resolveDataDir("/abs", cwd)).toBe("/abs");
  });

  it("falls back to the working directory outside a checkout", () => {
    expect(resolveDataDir(undefined, "/")).toBe("/data");
  });
});
