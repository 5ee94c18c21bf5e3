import type { HourlyUsage } from '../metering/hourly-usage';
import { type Micros, divideRounded, parseAmount } from '../price-book/money';
import { type PriceVersion, pricesAt } from '../price-book/price-book.events';

/** What one metered unit of a line is, and how many of its milliseconds-and-amounts make one. */
const UNITS = {
  container: { price: 'containerHour', per: 3_600_000n },
  vcpu: { price: 'vcpuHour', per: 1_000n * 3_600_000n },
  memory: { price: 'memoryGbHour', per: 1_024n * 3_600_000n },
} as const;

export type UsageUnit = keyof typeof UNITS;

/** One invoice line: a unit's usage under one price version, and what it costs. */
export interface RatedLine {
  readonly unit: UsageUnit;
  readonly priceVersion: number;
  /** The metered amount: container-, milli-vCPU- or MB-milliseconds. */
  readonly usage: bigint;
  /** The unit price (per container-hour, vCPU-hour, GB-hour). */
  readonly unitPrice: Micros;
  readonly amount: Micros;
}

/**
 * Rates hourly usage with the price version in force at each hour: usage is summed per
 * (unit, version) first and rounded once per line, so a month of hours does not pile
 * up rounding. An hour before any version is an error: a price book must cover what it
 * rates.
 */
export function rate(hours: readonly HourlyUsage[], versions: readonly PriceVersion[]): RatedLine[] {
  const sums = new Map<string, { unit: UsageUnit; version: PriceVersion; usage: bigint }>();
  for (const hour of hours) {
    const version = pricesAt(versions, hour.hour);
    if (!version) throw new Error(`No price in force at ${hour.hour}`);
    const usages: Record<UsageUnit, bigint> = {
      container: hour.containerMs,
      vcpu: hour.milliCpuMs,
      memory: hour.memoryMbMs,
    };
    for (const unit of Object.keys(UNITS) as UsageUnit[]) {
      const key = `${unit}@${version.version}`;
      const sum = sums.get(key) ?? { unit, version, usage: 0n };
      sums.set(key, { ...sum, usage: sum.usage + usages[unit] });
    }
  }
  return [...sums.values()]
    .sort((a, b) => a.version.version - b.version.version || a.unit.localeCompare(b.unit))
    .map(({ unit, version, usage }) => {
      const unitPrice = parseAmount(version.prices[UNITS[unit].price])!;
      return {
        unit,
        priceVersion: version.version,
        usage,
        unitPrice,
        amount: divideRounded(usage * unitPrice, UNITS[unit].per),
      };
    });
}
