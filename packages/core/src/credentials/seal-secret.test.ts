import { randomBytes } from "node:crypto";
import { chmod, mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CREDENTIAL_KEY_FILE, loadCredentialKey } from "./load-credential-key.ts";
import { openSecret, sealSecret } from "./seal-secret.ts";

const key = randomBytes(32);
const privateKey =
  "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n";

describe("sealSecret / openSecret", () => {
  it("round-trips, with a fresh IV each time", () => {
    const first = sealSecret(privateKey, key, "node-1");
    const second = sealSecret(privateKey, key, "node-1");
    expect(first).not.toBe(second);
    expect(first).not.toContain("OPENSSH");
    expect(openSecret(first, key, "node-1")).toBe(privateKey);
    expect(openSecret(sealSecret("", key), key)).toBe("");
    expect(openSecret(sealSecret("pässwörd 😀", key), key)).toBe("pässwörd 😀");
  });

  it("refuses every altered part", () => {
    const sealed = sealSecret(privateKey, key, "node-1");
    const parts = sealed.split(".");
    for (let index = 1; index < parts.length; index++) {
      const bytes = Buffer.from(parts[index] ?? "", "base64url");
      bytes[0] = (bytes[0] ?? 0) ^ 1;
      const tampered = parts.map((part, at) => (at === index ? bytes.toString("base64url") : part));
      expect(() => openSecret(tampered.join("."), key, "node-1")).toThrow(
        expect.objectContaining({ code: "CREDENTIAL_UNREADABLE" }),
      );
    }
  });

  it("refuses the wrong key and a value moved to another node", () => {
    const sealed = sealSecret(privateKey, key, "node-1");
    expect(() => openSecret(sealed, randomBytes(32), "node-1")).toThrow(
      expect.objectContaining({
        code: "CREDENTIAL_UNREADABLE",
        message: expect.stringContaining("key"),
      }),
    );
    expect(() => openSecret(sealed, key, "node-2")).toThrow(
      expect.objectContaining({ code: "CREDENTIAL_UNREADABLE" }),
    );
  });

  it("refuses malformed input and a key of the wrong size", () => {
    for (const bad of [
      "",
      "v1",
      "v2.a.b.c",
      "v1.AAAA.AAAA.AAAA",
      `${sealSecret("x", key)}.extra`,
    ]) {
      expect(() => openSecret(bad, key)).toThrow(
        expect.objectContaining({ code: "CREDENTIAL_UNREADABLE" }),
      );
    }
    expect(() => sealSecret("x", randomBytes(16))).toThrow(
      expect.objectContaining({ code: "CONFIG_INVALID" }),
    );
  });
});

describe("loadCredentialKey", () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "corral-key-"));
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it("generates a 0600 key file once and reuses it", async () => {
    const first = await loadCredentialKey({ dataDir });
    const second = await loadCredentialKey({ dataDir });
    expect(first).toHaveLength(32);
    expect(second.equals(first)).toBe(true);
    expect((await stat(join(dataDir, CREDENTIAL_KEY_FILE))).mode & 0o777).toBe(0o600);
    expect(openSecret(sealSecret("s", first), second)).toBe("s");
  });

  it("prefers the setting and validates it", async () => {
    const setting = randomBytes(32).toString("base64");
    expect((await loadCredentialKey({ setting, dataDir })).toString("base64")).toBe(setting);
    await expect(loadCredentialKey({ setting: "c2hvcnQ=", dataDir })).rejects.toMatchObject({
      code: "CONFIG_INVALID",
      message: expect.stringContaining("32 bytes"),
    });
    await expect(readFile(join(dataDir, CREDENTIAL_KEY_FILE))).rejects.toThrow();
  });

  it("refuses a key file others can read", async () => {
    await loadCredentialKey({ dataDir });
    await chmod(join(dataDir, CREDENTIAL_KEY_FILE), 0o644);
    await expect(loadCredentialKey({ dataDir })).rejects.toMatchObject({
      code: "CONFIG_INVALID",
      message: expect.stringContaining("chmod 600"),
    });
  });
});
