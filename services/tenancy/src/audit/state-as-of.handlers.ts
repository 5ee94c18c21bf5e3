import { stateAsOfPattern } from '@caas/contracts';
import type { EventStore } from '@caas/event-store';
import type { RequestMeta } from '@caas/messaging/src/rpc/request-meta';
import { Meta, RpcErrorFilter } from '@caas/messaging/src/rpc/rpc-server';
import { type StateReplay, answerStateAsOf } from '@caas/messaging/src/rpc/state-as-of';
import { Controller, Inject, UseFilters } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { apiKeyDecider } from '../apikey/apikey.decider';
import { planDecider } from '../plan/plan.decider';
import { tenantDecider } from '../tenant/tenant.decider';
import { userDecider } from '../user/user.decider';
import { EVENT_STORE } from '../shared/tokens';

/** The tenancy streams the audit's time travel may replay (STATE_OWNERS in the contracts). */
export const STATE_REPLAYS: Readonly<Record<string, StateReplay>> = {
  tenant: { decider: tenantDecider },
  user: { decider: userDecider },
  apikey: { decider: apiKeyDecider },
  plan: { decider: planDecider },
};

/** `tenancy.audit.state`: one of its public streams' state as of a past time. */
@Controller()
@UseFilters(RpcErrorFilter)
export class StateAsOfHandlers {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @MessagePattern(stateAsOfPattern('tenancy'))
  state(@Payload() payload: unknown, @Meta() meta: RequestMeta) {
    return answerStateAsOf(this.store, STATE_REPLAYS, payload, meta);
  }
}
