import type { Decider } from '@caas/domain';
import { type ReratePeriod, reratePeriod } from './rerate-period';
import { type ReratingEvent, type ReratingState, evolveRerating, initialReratingState } from './rerating.events';

export type ReratingCommand = ReratePeriod;

export const reratingDecider: Decider<ReratingCommand, ReratingEvent, ReratingState> = {
  initialState: initialReratingState,
  evolve: evolveRerating,
  decide: (command, state) => reratePeriod(command, state),
};
