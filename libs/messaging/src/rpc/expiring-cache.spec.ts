import { ExpiringCache } from './expiring-cache';

describe('ExpiringCache', () => {
  let now = 0;
  const clock = () => now;
  beforeEach(() => (now = 0));

  it('answers from memory until the entry expires, then loads again', async () => {
    const cache = new ExpiringCache<number>(5_000, 10, clock);
    const load = jest.fn().mockResolvedValueOnce(1).mockResolvedValueOnce(2);
    expect(await cache.get('k', load)).toBe(1);
    now = 4_999;
    expect(await cache.get('k', load)).toBe(1);
    now = 5_000;
    expect(await cache.get('k', load)).toBe(2);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('shares one load between concurrent lookups', async () => {
    const cache = new ExpiringCache<string>(5_000, 10, clock);
    const load = jest.fn(() => new Promise<string>((resolve) => setTimeout(() => resolve('v'), 10)));
    expect(await Promise.all([cache.get('k', load), cache.get('k', load)])).toEqual(['v', 'v']);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('does not remember failures', async () => {
    const cache = new ExpiringCache<string>(5_000, 10, clock);
    await expect(cache.get('k', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(await cache.get('k', async () => 'up')).toBe('up');
  });

  it('forgets the oldest entry when full', async () => {
    const cache = new ExpiringCache<string>(5_000, 2, clock);
    for (const key of ['a', 'b', 'c']) await cache.get(key, async () => key);
    expect(cache.size).toBe(2);
    const load = jest.fn(async () => 'a2');
    expect(await cache.get('a', load)).toBe('a2');
    expect(await cache.get('c', load)).toBe('c');
  });

  it('refresh loads again before expiry and remembers the new answer', async () => {
    const cache = new ExpiringCache<number>(5_000, 10, clock);
    await cache.get('k', async () => 1);
    expect(await cache.refresh('k', async () => 2)).toBe(2);
    expect(await cache.get('k', async () => 3)).toBe(2);
  });

  it('forgets the entries a predicate matches', async () => {
    const cache = new ExpiringCache<string>(5_000, 10, clock);
    for (const key of ['t1:a', 't1:b', 't2:a']) await cache.get(key, async () => key);
    cache.forget((key) => key.startsWith('t1:'));
    expect(cache.size).toBe(1);
    expect(await cache.get('t2:a', async () => 'again')).toBe('t2:a');
    expect(await cache.get('t1:a', async () => 'again')).toBe('again');
  });
});
