import { createHash } from "node:crypto";
import { Client } from "ssh2";
import { AppError } from "../errors.ts";
import { err, ok, type Result } from "../result.ts";
import { describeSocketFailure } from "./classify-connect-error.ts";

/** A host key as the operator confirms it and Corral pins it. */
export interface HostKey {
  /** The key's SSH type, e.g. `ssh-ed25519`, `ecdsa-sha2-nistp256`, `ssh-rsa`. */
  keyType: string;
  /** `SHA256:` + unpadded base64, exactly as `ssh-keygen -lf` prints it. */
  fingerprint: string;
}

/** Reads the type and fingerprint of a public key blob in SSH wire format. */
export function describeHostKey(blob: Buffer): HostKey {
  // The blob starts with the key type as an SSH string: uint32 length, then the bytes.
  const typeLength = blob.length >= 4 ? blob.readUInt32BE(0) : 0;
  const keyType = blob.subarray(4, 4 + typeLength).toString("latin1");
  const digest = createHash("sha256").update(blob).digest("base64").replace(/=+$/, "");
  return { keyType, fingerprint: `SHA256:${digest}` };
}

/**
 * The host key algorithms to offer so the server presents the key of the pinned type: a server
 * usually holds several keys, and a key of another type would not match the pin.
 */
export function hostKeyAlgorithmsFor(keyType: string): string[] {
  return keyType === "ssh-rsa" ? ["rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"] : [keyType];
}

/**
 * Connects far enough to see the server's host key, then hangs up before authenticating. This
 * is what the operator confirms before Corral pins the key.
 */
export function probeHostKey(
  host: string,
  port: number,
  timeoutMs = 10_000,
): Promise<Result<HostKey>> {
  return new Promise((resolve) => {
    const client = new Client();
    let presented: HostKey | undefined;
    client.on("error", (error) => {
      client.end();
      if (presented) resolve(ok(presented));
      else resolve(err(describeSocketFailure(error, host, port)));
    });
    client.on("close", () => {
      if (presented) resolve(ok(presented));
      else
        resolve(
          err(
            new AppError(
              "NODE_UNREACHABLE",
              `${host}:${port} closed the connection before presenting a host key.`,
              {
                node: host,
              },
            ),
          ),
        );
    });
    client.connect({
      host,
      port,
      readyTimeout: timeoutMs,
      username: "corral-host-key-probe",
      hostVerifier: (key: Buffer) => {
        presented = describeHostKey(key);
        return false;
      },
    });
  });
}
