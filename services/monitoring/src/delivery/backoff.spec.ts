import { MAX_RETRY_DELAY_MS, retryDelayMs } from './backoff';

describe('webhook retry backoff', () => {
  it('doubles from the base after each failed attempt', () => {
    expect([1, 2, 3, 4, 5].map((attempt) => retryDelayMs(attempt, 10_000))).toEqual([
      10_000, 20_000, 40_000, 80_000, 160_000,
    ]);
  });

  it('never waits longer than an hour', () => {
    expect(retryDelayMs(10, 10_000)).toBe(MAX_RETRY_DELAY_MS);
    expect(retryDelayMs(1_000, 10_000)).toBe(MAX_RETRY_DELAY_MS);
    expect(MAX_RETRY_DELAY_MS).toBe(3_600_000);
  });
});
