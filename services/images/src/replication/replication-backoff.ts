const FIRST_RETRY_MS = 2_000;
const MAX_RETRY_MS = 5 * 60_000;

/**
 * How long after its `attempt`th failure a copy is tried again: doubling from 2 s, at
 * most 5 minutes — a target registry that is down for hours is asked every 5 minutes,
 * and catches up by itself once it is back.
 */
export function retryDelayMs(attempt: number): number {
  return Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, attempt - 1), MAX_RETRY_MS);
}
