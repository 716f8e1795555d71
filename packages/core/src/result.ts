import type { AppError } from "./errors.ts";

/**
 * Results at the node boundary are values, not exceptions (pcs-web-ui's habit): a fan-out over
 * many nodes collects one Result per node and the UI renders each, instead of the first throw
 * hiding the rest.
 */
export type Result<T, E = AppError> = { ok: true; value: T } | { ok: false; error: E };

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const err = <E>(error: E): Result<never, E> => ({ ok: false, error });
