import { hourOf, hourSlices } from './hour-slices';

describe('hourSlices: an interval split exactly at hour boundaries', () => {
  it('keeps an interval inside one hour whole', () => {
    expect(hourSlices('2026-11-22T10:15:00.000Z', '2026-11-22T10:45:30.250Z')).toEqual([
      { hour: '2026-11-22T10:00:00.000Z', ms: 1_830_250 },
    ]);
  });

  it('splits across hours, the slices adding up to the interval', () => {
    const slices = hourSlices('2026-11-22T10:59:59.500Z', '2026-11-22T13:00:00.500Z');
    expect(slices).toEqual([
      { hour: '2026-11-22T10:00:00.000Z', ms: 500 },
      { hour: '2026-11-22T11:00:00.000Z', ms: 3_600_000 },
      { hour: '2026-11-22T12:00:00.000Z', ms: 3_600_000 },
      { hour: '2026-11-22T13:00:00.000Z', ms: 500 },
    ]);
    const total = slices.reduce((sum, slice) => sum + slice.ms, 0);
    expect(total).toBe(Date.parse('2026-11-22T13:00:00.500Z') - Date.parse('2026-11-22T10:59:59.500Z'));
  });

  it('crosses midnight and month ends in UTC', () => {
    expect(hourSlices('2026-11-30T23:30:00.000Z', '2026-12-01T00:30:00.000Z').map((s) => s.hour)).toEqual([
      '2026-11-30T23:00:00.000Z',
      '2026-12-01T00:00:00.000Z',
    ]);
  });

  it('an interval ending exactly on the hour has no empty slice after it; an empty one has none', () => {
    expect(hourSlices('2026-11-22T10:30:00.000Z', '2026-11-22T11:00:00.000Z')).toEqual([
      { hour: '2026-11-22T10:00:00.000Z', ms: 1_800_000 },
    ]);
    expect(hourSlices('2026-11-22T10:30:00.000Z', '2026-11-22T10:30:00.000Z')).toEqual([]);
    expect(hourSlices('2026-11-22T11:30:00.000Z', '2026-11-22T10:30:00.000Z')).toEqual([]);
  });

  it('hourOf names the hour that holds a time', () => {
    expect(hourOf('2026-11-22T10:59:59.999Z')).toBe('2026-11-22T10:00:00.000Z');
    expect(hourOf('2026-11-22T11:00:00.000Z')).toBe('2026-11-22T11:00:00.000Z');
  });
});
