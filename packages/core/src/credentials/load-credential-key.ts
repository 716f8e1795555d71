import { randomBytes } from "node:crypto";
import { readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { AppError } from "../errors.ts";
import { CREDENTIAL_KEY_BYTES } from "./seal-secret.ts";

export const CREDENTIAL_KEY_FILE = "credential.key";

/**
 * The key that seals credentials at rest: from the setting when one is given (base64 of 32
 * bytes, e.g. from a secret store), otherwise from `<dataDir>/credential.key`, created on first
 * use with mode 0600.
 */
export async function loadCredentialKey(options: {
  setting?: string | undefined;
  dataDir: string;
}): Promise<Buffer> {
  if (options.setting !== undefined && options.setting !== "") {
    return decodeKey(options.setting, "The credential key setting");
  }
  const path = join(options.dataDir, CREDENTIAL_KEY_FILE);
  try {
    // "wx" fails when the file exists, so two processes starting at once keep one key.
    await writeFile(path, `${randomBytes(CREDENTIAL_KEY_BYTES).toString("base64")}\n`, {
      flag: "wx",
      mode: 0o600,
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") {
      throw new AppError(
        "CONFIG_INVALID",
        `Cannot create the credential key file ${path}: ${(error as Error).message}`,
      );
    }
  }
  const { mode } = await stat(path);
  if ((mode & 0o077) !== 0) {
    throw new AppError(
      "CONFIG_INVALID",
      `The credential key file ${path} is readable by other users (mode ${(mode & 0o777).toString(8)}); run chmod 600 on it.`,
    );
  }
  return decodeKey(await readFile(path, "utf8"), `The credential key file ${path}`);
}

function decodeKey(text: string, source: string): Buffer {
  const key = Buffer.from(text.trim(), "base64");
  if (key.length !== CREDENTIAL_KEY_BYTES || key.toString("base64") !== text.trim()) {
    throw new AppError(
      "CONFIG_INVALID",
      `${source} must hold ${CREDENTIAL_KEY_BYTES} bytes in base64 (e.g. the output of "openssl rand -base64 32").`,
    );
  }
  return key;
}
