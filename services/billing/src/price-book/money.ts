/**
 * Money as whole micro-units (10⁻⁶ of the currency) in a bigint: prices have up to six
 * decimals, and sums of millions of metered milliseconds must not drift as floats do.
 */
export type Micros = bigint;

const AMOUNT = /^(0|[1-9]\d{0,11})(?:\.(\d{1,6}))?$/;

/** "12.5" → 12_500_000n; undefined for anything that is not a non-negative decimal with ≤ 6 decimals. */
export function parseAmount(text: string): Micros | undefined {
  const match = AMOUNT.exec(text);
  if (!match) return undefined;
  const [, whole, fraction = ''] = match;
  return BigInt(whole!) * 1_000_000n + BigInt(fraction.padEnd(6, '0'));
}

/** 12_500_000n → "12.500000": always six decimals, so amounts compare as text and sum in a spreadsheet. */
export function formatAmount(micros: Micros): string {
  const sign = micros < 0n ? '-' : '';
  const absolute = micros < 0n ? -micros : micros;
  return `${sign}${absolute / 1_000_000n}.${(absolute % 1_000_000n).toString().padStart(6, '0')}`;
}

/** numerator / denominator, rounded half away from zero: the one rounding rule of every line item. */
export function divideRounded(numerator: bigint, denominator: bigint): bigint {
  const quotient = numerator / denominator;
  const remainder = numerator % denominator;
  if (remainder * 2n >= denominator) return quotient + 1n;
  if (remainder * 2n <= -denominator) return quotient - 1n;
  return quotient;
}
