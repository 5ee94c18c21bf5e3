import { CaasError, type InvoiceLineView, type UsageUnit } from '@caas/contracts';
import type { HourlyUsage } from '../metering/hourly-usage';
import { type Micros, divideRounded, formatAmount, parseAmount } from '../price-book/money';
import { type PriceVersion, pricesAt } from '../price-book/price-book.events';

const HOUR_MS = 3_600_000n;
const GIB = 1_073_741_824n;

/**
 * Each unit: its price field, what it reads from an hour, and how much of that makes one
 * priced unit in a month of `hours` hours. The fee is a month's, shared by its hours;
 * storage is priced per GB-month, so one GB held all month costs the price whatever the
 * month's length.
 */
const UNITS = {
  monthlyFee: { price: 'monthlyFee', usage: () => 1n, per: (hours: bigint) => hours },
  container: { price: 'containerHour', usage: (h: HourlyUsage) => h.containerMs, per: () => HOUR_MS },
  vcpu: { price: 'vcpuHour', usage: (h: HourlyUsage) => h.milliCpuMs, per: () => 1_000n * HOUR_MS },
  memory: { price: 'memoryGbHour', usage: (h: HourlyUsage) => h.memoryMbMs, per: () => 1_024n * HOUR_MS },
  volume: {
    price: 'volumeGbMonth',
    usage: (h: HourlyUsage) => h.volumeByteMs,
    per: (hours: bigint) => GIB * hours * HOUR_MS,
  },
  imageStorage: {
    price: 'imageStorageGbMonth',
    usage: (h: HourlyUsage) => h.imageByteMs,
    per: (hours: bigint) => GIB * hours * HOUR_MS,
  },
} as const satisfies Record<UsageUnit, unknown>;

const UNIT_ORDER = Object.keys(UNITS) as UsageUnit[];

/** One line: a unit's usage under one plan's price version, and what it costs. */
export interface RatedLine {
  readonly unit: UsageUnit;
  readonly planId: string;
  readonly priceVersion: number;
  /** Hours on the plan (fee), or container-, milli-vCPU-, MB-milliseconds, byte-milliseconds. */
  readonly usage: bigint;
  readonly unitPrice: Micros;
  readonly amount: Micros;
  /** How much usage is one priced unit (for the quantity shown). */
  readonly per: bigint;
}

export interface Rating {
  readonly currency: string;
  readonly lines: readonly RatedLine[];
  readonly total: Micros;
}

/** Every plan's price versions, by plan id. */
export type PriceBooks = ReadonlyMap<string, readonly PriceVersion[]>;

/**
 * Rates one month's hourly usage with the price version of each hour's plan in force at
 * that hour: usage is summed per (unit, plan, version) first and rounded once per line,
 * so a month of hours does not pile up rounding. An hour no version covers, hours of two
 * months, or two currencies are errors: the price book must cover what it rates.
 */
export function rate(hours: readonly HourlyUsage[], books: PriceBooks): Rating {
  const hoursInMonth = hoursInMonthOf(hours);
  const sums = new Map<string, { unit: UsageUnit; planId: string; version: PriceVersion; usage: bigint }>();
  for (const hour of hours) {
    const version = pricesAt(books.get(hour.planId) ?? [], hour.hour);
    if (!version) throw new CaasError('internal', `No price of plan '${hour.planId}' in force at ${hour.hour}`);
    for (const unit of UNIT_ORDER) {
      const key = `${hour.planId}@${version.version}:${unit}`;
      const sum = sums.get(key) ?? { unit, planId: hour.planId, version, usage: 0n };
      sums.set(key, { ...sum, usage: sum.usage + UNITS[unit].usage(hour) });
    }
  }
  // A unit never used has no line: an invoice lists what was used.
  const lines = [...sums.values()]
    .filter(({ usage }) => usage !== 0n)
    .sort(
      (a, b) =>
        a.planId.localeCompare(b.planId) ||
        a.version.version - b.version.version ||
        UNIT_ORDER.indexOf(a.unit) - UNIT_ORDER.indexOf(b.unit),
    )
    .map(({ unit, planId, version, usage }): RatedLine => {
      const unitPrice = parseAmount(version.prices[UNITS[unit].price])!;
      const per = UNITS[unit].per(hoursInMonth);
      return {
        unit,
        planId,
        priceVersion: version.version,
        usage,
        unitPrice,
        per,
        amount: divideRounded(usage * unitPrice, per),
      };
    });
  const currencies = new Set([...sums.values()].map(({ version }) => version.prices.currency));
  if (currencies.size > 1) throw new CaasError('internal', `One month priced in ${[...currencies].join(' and ')}`);
  const currency = [...currencies][0] ?? 'EUR';
  return { currency, lines, total: lines.reduce((sum, line) => sum + line.amount, 0n) };
}

/** The hours of the month the usage is in; all of it must be in one. */
function hoursInMonthOf(hours: readonly HourlyUsage[]): bigint {
  const months = new Set(hours.map((hour) => hour.hour.slice(0, 7)));
  if (months.size > 1) throw new CaasError('internal', `Rating spans months ${[...months].join(', ')}`);
  const [month] = months;
  if (!month) return 720n;
  return BigInt(hoursInMonth(month));
}

/** Hours in a calendar month (`YYYY-MM`, UTC). */
export function hoursInMonth(period: string): number {
  const [year, month] = period.split('-').map(Number) as [number, number];
  return (Date.UTC(year, month, 1) - Date.UTC(year, month - 1, 1)) / 3_600_000;
}

/** A rated line as the API shows it: quantity in the price's unit, six places. */
export function lineView(line: RatedLine): InvoiceLineView {
  return {
    unit: line.unit,
    planId: line.planId,
    priceVersion: line.priceVersion,
    quantity: formatAmount(divideRounded(line.usage * 1_000_000n, line.per)),
    unitPrice: formatAmount(line.unitPrice),
    amount: formatAmount(line.amount),
  };
}
