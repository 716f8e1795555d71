import type { Result } from "@corral/core";

/** A node-boundary Result becomes the procedure's value or its AppError, mapped once in trpc.ts. */
export function resultOrThrow<T>(result: Result<T>): T {
  if (!result.ok) throw result.error;
  return result.value;
}
