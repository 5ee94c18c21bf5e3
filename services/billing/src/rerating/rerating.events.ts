import type { PeriodRerated } from '@caas/contracts';
import { streamName } from '@caas/event-store';

export type ReratingEvent = PeriodRerated;

/** One stream per re-rating: `rerating-<reratingId>`. */
export const reratingStream = (reratingId: string) => streamName('rerating', reratingId);

export interface ReratingState {
  readonly done: boolean;
}

export const initialReratingState = (): ReratingState => ({ done: false });

export const evolveRerating = (): ReratingState => ({ done: true });
