import { type HandledCommand, loadState } from '@caas/domain';
import type { EventStore } from '@caas/event-store';
import type { RequestMeta } from '@caas/messaging/src/rpc/request-meta';
import { Inject, Injectable } from '@nestjs/common';
import { planDecider } from '../plan/plan.decider';
import { planStream } from '../plan/plan.events';
import type { Caller } from '../shared/caller';
import { contextOf } from '@caas/messaging/src/rpc/command-context';
import { CommandExecutor } from '../shared/command-executor';
import { EVENT_STORE } from '../shared/tokens';
import { type TenantCommand, tenantDecider } from './tenant.decider';
import { type TenantEvent, type TenantState, tenantStream } from './tenant.events';
import { type TenantAccess, accessOf } from './tenant.guards';

/** The I/O around the tenant decider: load, decide, append, wait for the read model. */
@Injectable()
export class TenantCommands {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly executor: CommandExecutor,
  ) {}

  run(tenantId: string, command: TenantCommand, meta: RequestMeta): Promise<HandledCommand<TenantEvent, TenantState>> {
    return this.executor.execute(tenantDecider, tenantStream(tenantId), command, contextOf(meta, tenantId));
  }

  /** The caller's standing in a tenant from its aggregate, for rules decided in another aggregate (API keys). */
  async accessOf(tenantId: string, caller: Caller): Promise<TenantAccess> {
    const { state } = await loadState(this.store, tenantDecider, tenantStream(tenantId));
    return accessOf(state, tenantId, caller);
  }

  async planDefined(planId: string): Promise<boolean> {
    return (await loadState(this.store, planDecider, planStream(planId))).state.defined;
  }
}
