import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { describeHostKey, hostKeyAlgorithmsFor } from "./host-key.ts";

const run = promisify(execFile);

describe("describeHostKey", () => {
  it.each([
    ["ed25519", "ssh-ed25519"],
    ["ecdsa", "ecdsa-sha2-nistp256"],
    ["rsa", "ssh-rsa"],
  ])("prints a %s key's fingerprint exactly as ssh-keygen -lf does", async (type, keyType) => {
    const dir = await mkdtemp(join(tmpdir(), "corral-hostkey-"));
    try {
      const path = join(dir, "key");
      await run("ssh-keygen", ["-q", "-t", type, "-N", "", "-f", path]);
      const [, blob = ""] = (await readFile(`${path}.pub`, "utf8")).split(" ");
      const { stdout } = await run("ssh-keygen", ["-lf", `${path}.pub`]);
      expect(describeHostKey(Buffer.from(blob, "base64"))).toEqual({
        keyType,
        fingerprint: stdout.split(" ")[1],
      });
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  it("offers the RSA signature algorithms for an ssh-rsa pin", () => {
    expect(hostKeyAlgorithmsFor("ssh-rsa")).toEqual(["rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"]);
    expect(hostKeyAlgorithmsFor("ssh-ed25519")).toEqual(["ssh-ed25519"]);
  });
});
