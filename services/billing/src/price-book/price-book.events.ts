import type { PlanPrices, PricesDefined } from '@caas/contracts';
import { streamName } from '@caas/event-store';

export type PriceBookEvent = PricesDefined;

/** One stream per plan: its price versions, in order. */
export const priceBookStream = (planId: string) => streamName('pricebook', planId);

export interface PriceVersion {
  readonly version: number;
  readonly effectiveFrom: string;
  readonly prices: PlanPrices;
  /** When finance defined it (read models keep it; rating does not need it). */
  readonly definedAt?: string;
}

export interface PriceBookState {
  readonly planId: string;
  readonly versions: readonly PriceVersion[];
}

export const initialPriceBookState = (): PriceBookState => ({ planId: '', versions: [] });

/** PricesDefined is the only event so far: each appends a version. */
export function evolvePriceBook(state: PriceBookState, event: PriceBookEvent): PriceBookState {
  const { planId, version, effectiveFrom, prices } = event.data;
  return { planId, versions: [...state.versions, { version, effectiveFrom, prices }] };
}

/** The version in force at `at`: the last one whose effectiveFrom is not after it; none before the first. */
export function pricesAt(versions: readonly PriceVersion[], at: string): PriceVersion | undefined {
  const time = Date.parse(at);
  let inForce: PriceVersion | undefined;
  for (const version of versions) {
    if (Date.parse(version.effectiveFrom) <= time) inForce = version;
  }
  return inForce;
}
