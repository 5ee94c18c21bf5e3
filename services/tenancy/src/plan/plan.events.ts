import type { PlanQuotas, TenancyEvent } from '@caas/contracts';
import { streamName } from '@caas/event-store';
import { assertNever } from '@caas/domain';

/** A plan's stream is `plan-<planId>`; plan ids are short names (`free`, `pro`). */
export const planStream = (planId: string) => streamName('plan', planId);

export type PlanEvent = Extract<TenancyEvent, { type: 'PlanDefined' }>;

export interface PlanState {
  readonly defined: boolean;
  readonly name: string;
  readonly quotas: PlanQuotas | undefined;
}

export const initialPlanState = (): PlanState => ({ defined: false, name: '', quotas: undefined });

export function evolvePlan(state: PlanState, event: PlanEvent): PlanState {
  switch (event.type) {
    case 'PlanDefined':
      return { defined: true, name: event.data.name, quotas: event.data.quotas };
    default:
      return assertNever(event.type);
  }
}
