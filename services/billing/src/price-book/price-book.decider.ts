import type { Decider } from '@caas/domain';
import { type DefinePrices, definePrices } from './define-prices';
import { type PriceBookEvent, type PriceBookState, evolvePriceBook, initialPriceBookState } from './price-book.events';

export type PriceBookCommand = DefinePrices;

export const priceBookDecider: Decider<PriceBookCommand, PriceBookEvent, PriceBookState> = {
  initialState: initialPriceBookState,
  evolve: evolvePriceBook,
  // One command so far: a switch would only restate it.
  decide: (command, state) => definePrices(command, state),
};
