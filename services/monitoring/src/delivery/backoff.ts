/** No wait between two attempts is longer than an hour. */
export const MAX_RETRY_DELAY_MS = 60 * 60 * 1_000;

/** The wait after the n-th failed attempt (n ≥ 1): base × 2^(n−1), at most an hour. */
export function retryDelayMs(failedAttempts: number, baseMs: number): number {
  const exponent = Math.max(0, failedAttempts - 1);
  // 2^40 × any base is past the cap: stop doubling before the number loses meaning.
  return exponent >= 40 ? MAX_RETRY_DELAY_MS : Math.min(baseMs * 2 ** exponent, MAX_RETRY_DELAY_MS);
}
