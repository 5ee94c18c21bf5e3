import { stateAsOfPattern } from '@caas/contracts';
import type { EventStore } from '@caas/event-store';
import type { RequestMeta } from '@caas/messaging/src/rpc/request-meta';
import { Meta, RpcErrorFilter } from '@caas/messaging/src/rpc/rpc-server';
import { type StateReplay, answerStateAsOf } from '@caas/messaging/src/rpc/state-as-of';
import { Controller, Inject, UseFilters } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { invoiceDecider } from '../invoice/invoice.decider';
import { priceBookDecider } from '../price-book/price-book.decider';
import { reratingDecider } from '../rerating/rerating.decider';
import { EVENT_STORE } from '../shared/tokens';

/** The billing streams the audit's time travel may replay (STATE_OWNERS in the contracts). */
export const STATE_REPLAYS: Readonly<Record<string, StateReplay>> = {
  pricebook: { decider: priceBookDecider },
  invoice: { decider: invoiceDecider },
  rerating: { decider: reratingDecider },
};

/** `billing.audit.state`: one of its public streams' state as of a past time. */
@Controller()
@UseFilters(RpcErrorFilter)
export class StateAsOfHandlers {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @MessagePattern(stateAsOfPattern('billing'))
  state(@Payload() payload: unknown, @Meta() meta: RequestMeta) {
    return answerStateAsOf(this.store, STATE_REPLAYS, payload, meta);
  }
}
