import type { HourlyUsage } from '../metering/hourly-usage';
import { formatAmount } from '../price-book/money';
import { rate } from './rating';
import { PRO_PRICES } from '../price-book/test-support/prices';

const versions = [
  { version: 1, effectiveFrom: '2026-11-01T00:00:00.000Z', prices: PRO_PRICES },
  { version: 2, effectiveFrom: '2026-11-22T12:00:00.000Z', prices: { ...PRO_PRICES, vcpuHour: '0.01' } },
];
const HOUR = 3_600_000n;
const hour = (at: string, containers: bigint, cpus: bigint, memoryMb: bigint): HourlyUsage => ({
  hour: at,
  containerMs: containers * HOUR,
  milliCpuMs: cpus * 1000n * HOUR,
  memoryMbMs: memoryMb * HOUR,
});

describe('rate: usage × the price in force at each hour', () => {
  it('gives one line per unit and price version, each rounded once', () => {
    const lines = rate(
      [
        hour('2026-11-22T10:00:00.000Z', 2n, 3n, 2048n),
        hour('2026-11-22T11:00:00.000Z', 2n, 3n, 2048n),
        hour('2026-11-22T12:00:00.000Z', 1n, 1n, 1024n),
      ],
      versions,
    );
    expect(lines.map((line) => [line.unit, line.priceVersion, formatAmount(line.amount)])).toEqual([
      ['container', 1, '0.004000'], // 4 container-hours × 0.001
      ['memory', 1, '0.016000'], // 2 GB × 2 h × 0.004
      ['vcpu', 1, '0.075000'], // 3 vCPU × 2 h × 0.0125
      ['container', 2, '0.001000'],
      ['memory', 2, '0.004000'],
      ['vcpu', 2, '0.010000'], // the new price from 12:00
    ]);
  });

  it('sums a line before rounding it, half away from zero at the micro-unit', () => {
    // 72,000 milli-vCPU-ms at 0.0125 a vCPU-hour is 0.25 micro-units an hour: 0 if each
    // hour were rounded, 0.5 → 1 micro-unit as one line.
    const tiny = (at: string): HourlyUsage => ({ hour: at, containerMs: 0n, milliCpuMs: 72_000n, memoryMbMs: 0n });
    const lines = rate([tiny('2026-11-22T10:00:00.000Z'), tiny('2026-11-22T11:00:00.000Z')], versions);
    expect(lines.find((line) => line.unit === 'vcpu')?.amount).toBe(1n);
  });

  it('refuses an hour no price version covers', () => {
    expect(() => rate([hour('2026-10-31T23:00:00.000Z', 1n, 1n, 1n)], versions)).toThrow(/No price in force/);
  });
});
