import { eventually } from './eventually';

describe('eventually', () => {
  it('probes until done, and answers the value that satisfied it', async () => {
    let calls = 0;
    const value = await eventually(
      async () => ++calls,
      (n) => n === 3,
      { intervalMs: 1 },
    );
    expect(value).toBe(3);
    expect(calls).toBe(3);
  });

  it('answers the last value when the deadline passes, for the caller to assert on', async () => {
    let calls = 0;
    const started = Date.now();
    const value = await eventually(
      async () => ++calls,
      () => false,
      { timeoutMs: 200, intervalMs: 20 },
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
    expect(value).toBe(calls);
    expect(calls).toBeGreaterThan(2);
  });

  it('retries a probe that throws, and throws its error when that is the last word', async () => {
    let calls = 0;
    const flaky = async () => {
      if (++calls < 3) throw new Error('not yet');
      return 'ok';
    };
    await expect(eventually(flaky, undefined, { intervalMs: 1 })).resolves.toBe('ok');
    const failing = async (): Promise<string> => {
      throw new Error('never');
    };
    await expect(eventually(failing, undefined, { timeoutMs: 50, intervalMs: 10 })).rejects.toThrow('never');
  });
});
