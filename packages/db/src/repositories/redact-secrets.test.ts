import { describe, expect, it } from "vitest";
import { REDACTED, redactSecrets } from "./redact-secrets.ts";

describe("redactSecrets", () => {
  it("replaces secret-looking fields at any depth and keeps the rest", () => {
    const input = {
      email: "ops@example.test",
      password: "hunter2",
      node: { host: "n1", sshPrivateKey: "-----BEGIN", passphrase: "x" },
      items: [{ apiKey: "k", name: "a" }],
      Token: "t",
      when: new Date(0),
    };
    expect(redactSecrets(input)).toEqual({
      email: "ops@example.test",
      password: REDACTED,
      node: { host: "n1", sshPrivateKey: REDACTED, passphrase: REDACTED },
      items: [{ apiKey: REDACTED, name: "a" }],
      Token: REDACTED,
      when: new Date(0),
    });
  });

  it("does not touch the input", () => {
    const input = { password: "p" };
    redactSecrets(input);
    expect(input.password).toBe("p");
  });
});
