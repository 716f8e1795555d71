import type { Result } from "../result.ts";

/** The value of a Result a test expects to be ok; otherwise the test fails with its error. */
export function expectOk<T>(result: Result<T>): T {
  if (!result.ok) throw result.error;
  return result.value;
}
