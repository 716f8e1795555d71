/** How a failed delivery is tried again: doubling pauses from `firstDelayMs`, capped. */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  firstDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 8,
  firstDelayMs: 5_000,
  maxDelayMs: 30 * 60_000,
};

/**
 * The pause after failed attempt number `attempt` (1 for the first), or null when that was the
 * last one: firstDelayMs, then twice that, and so on up to maxDelayMs.
 */
export function retryDelayMs(attempt: number, policy: RetryPolicy): number | null {
  if (attempt >= policy.maxAttempts) return null;
  return Math.min(policy.firstDelayMs * 2 ** (attempt - 1), policy.maxDelayMs);
}
