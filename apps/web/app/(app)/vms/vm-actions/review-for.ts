import type { UseMutationResult } from "@tanstack/react-query";

/**
 * A dry run's answer for the inputs as they are now. The inputs are the review's key: it holds
 * only while they are those it was asked with, so any edit brings the Review step back (no input
 * has to reset it) and what the operator confirms is always what they reviewed.
 */
export function reviewFor<TData, TError, TInput>(
  dryRun: UseMutationResult<TData, TError, TInput>,
  input: TInput,
): { data: TData | undefined; error: TError | null } {
  const current =
    dryRun.variables !== undefined && JSON.stringify(dryRun.variables) === JSON.stringify(input);
  return current ? { data: dryRun.data, error: dryRun.error } : { data: undefined, error: null };
}
