export interface EventuallyOptions {
  /** How long to keep polling (default 10 s). */
  readonly timeoutMs?: number;
  /** The pause between two probes (default 250 ms). */
  readonly intervalMs?: number;
}

/**
 * Probes until `done` holds for the probe's value, or the deadline passes; returns the
 * last value either way, so the caller's assertion on it shows what was actually seen.
 * A probe that throws is retried like an unfinished one; when the last probe before the
 * deadline threw, its error is thrown.
 *
 *   const revoked = await eventually(() => api.call('GET', '/v1/tenant', { token }), (a) => a.status === 401);
 *   expect(revoked.status).toBe(401);
 */
export async function eventually<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean = () => true,
  { timeoutMs = 10_000, intervalMs = 250 }: EventuallyOptions = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let outcome: { value: T } | { error: unknown };
    try {
      outcome = { value: await probe() };
    } catch (error) {
      outcome = { error };
    }
    if ('value' in outcome && done(outcome.value)) return outcome.value;
    if (Date.now() >= deadline) {
      if ('error' in outcome) throw outcome.error;
      return outcome.value;
    }
    await sleep(Math.min(intervalMs, Math.max(0, deadline - Date.now())));
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
