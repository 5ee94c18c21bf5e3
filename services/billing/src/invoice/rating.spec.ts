import type { HourlyUsage } from '../metering/hourly-usage';
import { formatAmount } from '../price-book/money';
import { PRO_PRICES } from '../price-book/test-support/prices';
import { hoursInMonth, lineView, rate } from './rating';

const books = new Map([
  [
    'pro',
    [
      { version: 1, effectiveFrom: '2026-11-01T00:00:00.000Z', prices: PRO_PRICES },
      { version: 2, effectiveFrom: '2026-11-22T12:00:00.000Z', prices: { ...PRO_PRICES, vcpuHour: '0.01' } },
    ],
  ],
  ['free', [{ version: 1, effectiveFrom: '2020-01-01T00:00:00.000Z', prices: { ...PRO_PRICES, monthlyFee: '0' } }]],
]);
const HOUR = 3_600_000n;
const GIB = 2n ** 30n;
const hour = (at: string, containers: bigint, cpus: bigint, memoryMb: bigint, planId = 'pro'): HourlyUsage => ({
  hour: at,
  planId,
  containerMs: containers * HOUR,
  milliCpuMs: cpus * 1000n * HOUR,
  memoryMbMs: memoryMb * HOUR,
  volumeByteMs: 0n,
  imageByteMs: 0n,
});
const amounts = (hours: HourlyUsage[]) =>
  rate(hours, books).lines.map((line) => [line.planId, line.unit, line.priceVersion, formatAmount(line.amount)]);

describe('rate: usage × the price of the hour’s plan in force at each hour', () => {
  it('gives one line per plan, price version and unit used, each rounded once', () => {
    expect(
      amounts([
        hour('2026-11-22T10:00:00.000Z', 2n, 3n, 2048n),
        hour('2026-11-22T11:00:00.000Z', 2n, 3n, 2048n),
        hour('2026-11-22T12:00:00.000Z', 1n, 1n, 1024n),
      ]),
    ).toEqual([
      ['pro', 'monthlyFee', 1, '0.080556'], // 29 × 2 / 720 hours of November
      ['pro', 'container', 1, '0.004000'], // 4 container-hours × 0.001
      ['pro', 'vcpu', 1, '0.075000'], // 3 vCPU × 2 h × 0.0125
      ['pro', 'memory', 1, '0.016000'], // 2 GB × 2 h × 0.004
      ['pro', 'monthlyFee', 2, '0.040278'], // 29 / 720
      ['pro', 'container', 2, '0.001000'],
      ['pro', 'vcpu', 2, '0.010000'], // the new price from 12:00
      ['pro', 'memory', 2, '0.004000'],
    ]);
  });

  it('prices storage per GB-month: a GB held all month costs the price, whatever the month’s length', () => {
    const november = Array.from({ length: 720 }, (_, index): HourlyUsage => ({
      ...hour(new Date(Date.UTC(2026, 10, 1) + index * 3_600_000).toISOString(), 0n, 0n, 0n, 'free'),
      volumeByteMs: GIB * HOUR,
      imageByteMs: 2n * GIB * HOUR,
    }));
    const { lines, total } = rate(november, books);
    expect(lines.find((line) => line.unit === 'volume')?.amount).toBe(100_000n); // 0.1
    expect(lines.find((line) => line.unit === 'imageStorage')?.amount).toBe(100_000n); // 2 × 0.05
    expect(formatAmount(total)).toBe('0.200000');
    expect(lineView(lines.find((line) => line.unit === 'volume')!)).toEqual({
      unit: 'volume',
      planId: 'free',
      priceVersion: 1,
      quantity: '1.000000',
      unitPrice: '0.100000',
      amount: '0.100000',
    });
  });

  it('sums a line before rounding it, half away from zero at the micro-unit', () => {
    // 72,000 milli-vCPU-ms at 0.0125 a vCPU-hour is 0.25 micro-units an hour: 0 if each
    // hour were rounded, 0.5 → 1 micro-unit as one line.
    const tiny = (at: string): HourlyUsage => ({ ...hour(at, 0n, 0n, 0n), milliCpuMs: 72_000n });
    const { lines } = rate([tiny('2026-11-22T10:00:00.000Z'), tiny('2026-11-22T11:00:00.000Z')], books);
    expect(lines.find((line) => line.unit === 'vcpu')?.amount).toBe(1n);
  });

  it('refuses an hour no price version covers, a plan without prices, and hours of two months', () => {
    expect(() => rate([hour('2026-10-31T23:00:00.000Z', 1n, 1n, 1n)], books)).toThrow(/No price of plan 'pro'/);
    expect(() => rate([hour('2026-11-02T00:00:00.000Z', 1n, 1n, 1n, 'gold')], books)).toThrow(/plan 'gold'/);
    expect(() =>
      rate([hour('2026-11-30T23:00:00.000Z', 1n, 1n, 1n), hour('2026-12-01T00:00:00.000Z', 1n, 1n, 1n)], books),
    ).toThrow(/spans months/);
  });

  it('counts a month’s hours in UTC', () => {
    expect([hoursInMonth('2026-11'), hoursInMonth('2026-12'), hoursInMonth('2028-02')]).toEqual([720, 744, 696]);
  });
});
