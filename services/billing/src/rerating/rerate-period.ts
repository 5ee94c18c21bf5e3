import type { PeriodRerated } from '@caas/contracts';
import type { ReratingEvent, ReratingState } from './rerating.events';

/** Finance: price a period's issued invoices anew (the handler rates them; the decider records it once). */
export interface ReratePeriod {
  readonly kind: 'ReratePeriod';
  readonly reratingId: string;
  readonly period: string;
  readonly invoices: PeriodRerated['data']['invoices'];
  readonly at: string;
}

/** A re-rating is recorded once; the issued invoices it compares with are never touched. */
export function reratePeriod(command: ReratePeriod, state: ReratingState): ReratingEvent[] {
  if (state.done) return [];
  const { reratingId, period, invoices, at } = command;
  return [{ type: 'PeriodRerated', data: { reratingId, period, reratedAt: at, invoices } }];
}
