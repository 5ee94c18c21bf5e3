import { stateAsOfPattern } from '@caas/contracts';
import type { EventStore } from '@caas/event-store';
import type { RequestMeta } from '@caas/messaging/src/rpc/request-meta';
import { Meta, RpcErrorFilter } from '@caas/messaging/src/rpc/rpc-server';
import { type StateReplay, answerStateAsOf, maskEnvValues } from '@caas/messaging/src/rpc/state-as-of';
import { Controller, Inject, UseFilters } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { containerDecider } from '../container/container.decider';
import { hostDecider } from '../host/host.decider';
import { serviceDecider } from '../service/service.decider';
import { volumeDecider } from '../volume/volume.decider';
import { EVENT_STORE } from '../shared/tokens';

/** The scheduling streams the audit's time travel may replay (STATE_OWNERS in the contracts). */
export const STATE_REPLAYS: Readonly<Record<string, StateReplay>> = {
  // A container's runtime spec and a service's templates hold the tenant's environment values.
  container: { decider: containerDecider, mask: maskEnvValues },
  service: { decider: serviceDecider, mask: maskEnvValues },
  host: { decider: hostDecider },
  volume: { decider: volumeDecider },
};

/** `scheduling.audit.state`: one of its public streams' state as of a past time. */
@Controller()
@UseFilters(RpcErrorFilter)
export class StateAsOfHandlers {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @MessagePattern(stateAsOfPattern('scheduling'))
  state(@Payload() payload: unknown, @Meta() meta: RequestMeta) {
    return answerStateAsOf(this.store, STATE_REPLAYS, payload, meta);
  }
}
