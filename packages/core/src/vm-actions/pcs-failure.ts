import { AppError } from "../errors.ts";
import type { Result } from "../result.ts";

/**
 * pcs prints progress and its verdict on stderr; the operator needs the "Error: ..." lines, not
 * the first line ("Waiting for the cluster to apply configuration changes...").
 */
export function explainPcsFailure<T>(failed: Result<T> & { ok: false }, node: string): AppError {
  const stderr = failed.error.context.stderr ?? "";
  const errors = stderr
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line.startsWith("Error:"));
  if (errors.length === 0) return failed.error;
  return new AppError(failed.error.code, `${node}: ${errors.join(" ")}`, failed.error.context);
}
