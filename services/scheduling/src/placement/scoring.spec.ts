import { host, loaded } from './placement.fixtures';
import { beats, fitScore, freeFractionAfter, scoreFromTotal } from './scoring';

describe('fit score (Nomad)', () => {
  const half = { cpus: 2, memoryMb: 4096 };

  it('is 1 for spread and 0 for binpack on an empty host, and the reverse on a host the request fills', () => {
    const tiny = { cpus: 0, memoryMb: 0 };
    expect(fitScore('spread', host('h'), tiny)).toBe(1);
    expect(fitScore('binpack', host('h'), tiny)).toBe(0);
    expect(fitScore('spread', loaded('h', 2, 4096), half)).toBe(0);
    expect(fitScore('binpack', loaded('h', 2, 4096), half)).toBe(1);
  });

  it('is the normalised 10^freeCpu + 10^freeMem after placement', () => {
    // After placing 2 cpus / 4096 MB on an empty 4 / 8192 host: half free in both.
    const total = 2 * Math.pow(10, 0.5);
    expect(fitScore('spread', host('h'), half)).toBeCloseTo((total - 2) / 18, 12);
    expect(fitScore('binpack', host('h'), half)).toBeCloseTo((20 - total) / 18, 12);
  });

  it('compares free fractions, not amounts: 3 of 4 cpus free is emptier than 8 of 32', () => {
    const small = loaded('small', 1, 2048);
    const big = host('big', {
      capacity: { cpus: 32, memoryMb: 65536 },
      allocated: { cpus: 24, memoryMb: 49152, containers: 9 },
    });
    const req = { cpus: 0.5, memoryMb: 512 };
    expect(fitScore('spread', small, req)).toBeGreaterThan(fitScore('spread', big, req));
    expect(fitScore('binpack', big, req)).toBeGreaterThan(fitScore('binpack', small, req));
  });

  it('prefers, for binpack, the host whose cpu and memory fill evenly (the exponential is convex)', () => {
    // Both hosts are half used on average: one evenly, the other all cpu and no memory.
    const even = loaded('even', 2, 4096);
    const skewed = loaded('skewed', 4, 0);
    const none = { cpus: 0, memoryMb: 0 };
    expect(fitScore('binpack', even, none)).toBeGreaterThan(fitScore('binpack', skewed, none));
  });

  it('counts a dimension without capacity as full and bounds scores to [0, 1]', () => {
    expect(freeFractionAfter(0, 0, 0)).toBe(0);
    const overCommitted = loaded('h', 6, 8192);
    expect(fitScore('spread', overCommitted, { cpus: 0, memoryMb: 0 })).toBe(0);
    expect(scoreFromTotal('binpack', 25)).toBe(0);
    expect(scoreFromTotal('spread', 25)).toBe(1);
  });

  it('breaks ties by hostId in code-unit order', () => {
    expect(beats(0.5, 'host-b', 0.4, 'host-a')).toBe(true);
    expect(beats(0.5, 'host-a', 0.5, 'host-b')).toBe(true);
    expect(beats(0.5, 'host-b', 0.5, 'host-a')).toBe(false);
    expect(beats(0.5, 'host-10', 0.5, 'host-2')).toBe(true);
  });
});
