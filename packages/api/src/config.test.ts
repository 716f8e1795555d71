import { chmodSync, mkdirSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "./config.ts";

const dataDir = () => mkdtempSync(path.join(os.tmpdir(), "corral-config-"));

describe("loadConfig", () => {
  it("defaults to SQLite in the data directory and generates a private auth secret", () => {
    const dir = dataDir();
    const config = loadConfig({ CORRAL_DATA_DIR: dir });
    expect(config.database).toEqual({ provider: "sqlite", file: path.join(dir, "corral.db") });
    expect(config.baseUrl).toBe("http://127.0.0.1:3000");
    const secretFile = path.join(dir, "auth-secret");
    expect(statSync(secretFile).mode & 0o777).toBe(0o600);
    expect(config.authSecret).toBe(readFileSync(secretFile, "utf8"));
    expect(loadConfig({ CORRAL_DATA_DIR: dir }).authSecret).toBe(config.authSecret);
  });

  it("keeps the data directory to Corral's user, new or already there", () => {
    const fresh = path.join(dataDir(), "fresh");
    loadConfig({ CORRAL_DATA_DIR: fresh, CORRAL_AUTH_SECRET: "x".repeat(32) });
    expect(statSync(fresh).mode & 0o777).toBe(0o700);
    const existing = path.join(dataDir(), "existing");
    mkdirSync(existing);
    chmodSync(existing, 0o755);
    loadConfig({ CORRAL_DATA_DIR: existing });
    expect(statSync(existing).mode & 0o777).toBe(0o700);
  });

  it.each([
    [{ CORRAL_BASE_URL: "not a url" }, /CORRAL_BASE_URL/],
    [{ CORRAL_BASE_URL: "ftp://x" }, /CORRAL_BASE_URL/],
    [{ CORRAL_AUTH_SECRET: "short" }, /CORRAL_AUTH_SECRET: must be at least 32/],
    [{ CORRAL_LOG_LEVEL: "loud" }, /CORRAL_LOG_LEVEL/],
    [{ CORRAL_LOGIN_ATTEMPTS_PER_MINUTE: "0" }, /CORRAL_LOGIN_ATTEMPTS_PER_MINUTE/],
    [{ CORRAL_TRUSTED_ORIGINS: "http://ok.test, nope" }, /CORRAL_TRUSTED_ORIGINS/],
    [{ DATABASE_URL: "mysql://db/corral" }, /DATABASE_URL/],
    [{ CORRAL_TRUSTED_PROXIES: "127.0.0.1, proxy.example" }, /CORRAL_TRUSTED_PROXIES/],
    [{ CORRAL_TRUSTED_PROXIES: "10.0.0.0/33" }, /CORRAL_TRUSTED_PROXIES/],
    [{ CORRAL_SESSION_IDLE_MINUTES: "1" }, /CORRAL_SESSION_IDLE_MINUTES/],
  ])("stops on %o naming the setting", (env, message) => {
    expect(() => loadConfig({ CORRAL_DATA_DIR: dataDir(), ...env })).toThrow(message);
  });

  it("selects PostgreSQL from DATABASE_URL", () => {
    const config = loadConfig({
      CORRAL_DATA_DIR: dataDir(),
      DATABASE_URL: "postgres://u@db/corral",
    });
    expect(config.database).toEqual({ provider: "postgres", url: "postgres://u@db/corral" });
  });
});
