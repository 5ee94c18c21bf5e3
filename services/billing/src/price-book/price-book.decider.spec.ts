import type { PlanPrices } from '@caas/contracts';
import { spec } from '@caas/domain/src/decider-spec';
import { priceBookDecider } from './price-book.decider';
import type { PriceBookEvent } from './price-book.events';
import { pricesAt } from './price-book.events';
import { PRO_PRICES } from './test-support/prices';

const priceBook = spec(priceBookDecider);
const at = '2026-11-22T06:00:00.000Z';
const define = (effectiveFrom: string, prices: PlanPrices = PRO_PRICES) =>
  ({ kind: 'DefinePrices', planId: 'pro', effectiveFrom, prices, at }) as const;
const defined = (version: number, effectiveFrom: string, prices: PlanPrices = PRO_PRICES): PriceBookEvent => ({
  type: 'PricesDefined',
  data: { planId: 'pro', version, effectiveFrom, prices, definedAt: at },
});

describe('price book decider', () => {
  it('defines version 1, then versions that take effect later', () => {
    priceBook
      .given([])
      .when(define('2026-11-01T00:00:00Z'))
      .then([defined(1, '2026-11-01T00:00:00.000Z')]);
    priceBook
      .given([defined(1, '2026-11-01T00:00:00.000Z')])
      .when(define('2026-12-01T00:00:00.000Z', { ...PRO_PRICES, vcpuHour: '0.011' }))
      .then([defined(2, '2026-12-01T00:00:00.000Z', { ...PRO_PRICES, vcpuHour: '0.011' })]);
  });

  it('refuses a version taking effect before (or with) the last one: history is not rewritten', () => {
    priceBook
      .given([defined(1, '2026-11-01T00:00:00.000Z')])
      .when(define('2026-10-01T00:00:00.000Z'))
      .thenFails('conflict');
    priceBook
      .given([defined(1, '2026-11-01T00:00:00.000Z')])
      .when(define('2026-11-01T00:00:00.000Z'))
      .thenFails('conflict');
  });

  it('refuses an amount that is not an exact non-negative decimal, naming it, and another currency', () => {
    priceBook
      .given([])
      .when(define('2026-11-01T00:00:00Z', { ...PRO_PRICES, vcpuHour: '-1' }))
      .thenFails('validation', /vcpuHour/);
    priceBook
      .given([])
      .when(define('2026-11-01T00:00:00Z', { ...PRO_PRICES, memoryGbHour: '0.0000001' }))
      .thenFails('validation', /memoryGbHour/);
    priceBook
      .given([])
      .when(define('yesterday'))
      .thenFails('validation', /effectiveFrom/);
    priceBook
      .given([defined(1, '2026-11-01T00:00:00.000Z')])
      .when(define('2026-12-01T00:00:00Z', { ...PRO_PRICES, currency: 'USD' }))
      .thenFails('validation', /currency/);
  });
});

describe('pricesAt: the version in force at a time', () => {
  const versions = [
    { version: 1, effectiveFrom: '2026-11-01T00:00:00.000Z', prices: PRO_PRICES },
    { version: 2, effectiveFrom: '2026-11-15T12:00:00.000Z', prices: { ...PRO_PRICES, vcpuHour: '0.011' } },
  ];

  it('is the last version not after the time; none before the first', () => {
    expect(pricesAt(versions, '2026-10-31T23:59:59.999Z')).toBeUndefined();
    expect(pricesAt(versions, '2026-11-15T11:59:59.999Z')?.version).toBe(1);
    expect(pricesAt(versions, '2026-11-15T12:00:00.000Z')?.version).toBe(2);
  });
});
