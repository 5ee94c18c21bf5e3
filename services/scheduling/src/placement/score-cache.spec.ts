import { ScoreCache } from './score-cache';

describe('ScoreCache', () => {
  const size = (cpus: number) => ({ cpus, memoryMb: 1024 });

  it('keeps one entry per request size, stale until filled', () => {
    const cache = new ScoreCache();
    const entry = cache.forSize(size(1), 4);
    expect([...entry.versions]).toEqual([-1, -1, -1, -1]);
    entry.totals[2] = 7;
    entry.versions[2] = 3;
    expect(cache.forSize(size(1), 4)).toBe(entry);
    expect(cache.forSize(size(2), 4)).not.toBe(entry);
  });

  it('grows an entry with the hosts, keeping what it knew', () => {
    const cache = new ScoreCache();
    const entry = cache.forSize(size(1), 2);
    entry.totals[1] = 7;
    entry.versions[1] = 3;
    const grown = cache.forSize(size(1), 5);
    expect(grown.totals.length).toBeGreaterThanOrEqual(5);
    expect([grown.totals[1], grown.versions[1], grown.versions[4]]).toEqual([7, 3, -1]);
  });

  it('evicts the least recently used size', () => {
    const cache = new ScoreCache(2);
    const one = cache.forSize(size(1), 1);
    cache.forSize(size(2), 1);
    cache.forSize(size(1), 1);
    cache.forSize(size(3), 1); // evicts size 2
    expect(cache.forSize(size(1), 1)).toBe(one);
    cache.forSize(size(2), 1); // evicts size 3, the least recently used
    expect(cache.forSize(size(1), 1)).toBe(one);
  });
});
