import { AppError } from "@corral/core";

/**
 * Calls `probe` until it returns a value other than undefined; failures of a probe count as
 * "not yet" (a node may be booting). Throws COMMAND_TIMEOUT naming `what` after `timeoutMs`.
 */
export async function pollUntil<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  { timeoutMs = 60_000, intervalMs = 250 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new AppError(
    "COMMAND_TIMEOUT",
    `timed out after ${timeoutMs} ms waiting for ${what}`,
    {},
    {
      cause: lastError,
    },
  );
}
