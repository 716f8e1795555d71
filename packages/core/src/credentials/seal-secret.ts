import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { AppError } from "../errors.ts";

const VERSION = "v1";
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Encrypts a credential (private key, passphrase, bootstrap password) for storage with
 * AES-256-GCM. `boundTo` (for example the node id) is authenticated but not stored, so a sealed
 * value copied onto another record does not open there.
 */
export function sealSecret(plaintext: string, key: Buffer, boundTo = ""): string {
  assertKey(key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(boundTo, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [VERSION, iv, cipher.getAuthTag(), ciphertext]
    .map((part) => (typeof part === "string" ? part : part.toString("base64url")))
    .join(".");
}

/** Decrypts what sealSecret produced; a wrong key or any altered byte is CREDENTIAL_UNREADABLE. */
export function openSecret(sealed: string, key: Buffer, boundTo = ""): string {
  assertKey(key);
  const [version, iv, tag, ciphertext, ...rest] = sealed.split(".");
  if (
    version !== VERSION ||
    iv === undefined ||
    tag === undefined ||
    ciphertext === undefined ||
    rest.length > 0
  ) {
    throw new AppError(
      "CREDENTIAL_UNREADABLE",
      "The stored credential is not in a format Corral wrote.",
    );
  }
  const ivBytes = Buffer.from(iv, "base64url");
  const tagBytes = Buffer.from(tag, "base64url");
  if (ivBytes.length !== IV_BYTES || tagBytes.length !== TAG_BYTES) {
    throw new AppError("CREDENTIAL_UNREADABLE", "The stored credential is truncated or damaged.");
  }
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, ivBytes, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(boundTo, "utf8"));
    decipher.setAuthTag(tagBytes);
    return Buffer.concat([
      decipher.update(Buffer.from(ciphertext, "base64url")),
      decipher.final(),
    ]).toString("utf8");
  } catch (cause) {
    throw new AppError(
      "CREDENTIAL_UNREADABLE",
      "The stored credential does not decrypt: the credential key changed or the value was altered. Enter the credential again.",
      {},
      { cause },
    );
  }
}

function assertKey(key: Buffer): void {
  if (key.length !== KEY_BYTES) {
    throw new AppError(
      "CONFIG_INVALID",
      `The credential key must be ${KEY_BYTES} bytes, not ${key.length}.`,
    );
  }
}

export const CREDENTIAL_KEY_BYTES = KEY_BYTES;
