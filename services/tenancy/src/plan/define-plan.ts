import { type PlanQuotas, invalid } from '@caas/contracts';
import type { PlanEvent, PlanState } from './plan.events';

export interface DefinePlan {
  readonly kind: 'DefinePlan';
  readonly planId: string;
  readonly name: string;
  readonly quotas: PlanQuotas;
}

/** Defines a plan or redefines its quotas; the same definition again changes nothing. */
export function definePlan(command: DefinePlan, state: PlanState): PlanEvent[] {
  for (const [limit, value] of Object.entries(command.quotas)) {
    if (!Number.isInteger(value) || value < 0) {
      throw invalid(`quotas.${limit}`, 'min', `${limit} must be a whole number, 0 or more`);
    }
  }
  if (state.defined && state.name === command.name && sameQuotas(state.quotas, command.quotas)) return [];
  const { planId, name, quotas } = command;
  return [{ type: 'PlanDefined', data: { planId, name, quotas } }];
}

function sameQuotas(a: PlanQuotas | undefined, b: PlanQuotas): boolean {
  return a !== undefined && (Object.keys(b) as (keyof PlanQuotas)[]).every((limit) => a[limit] === b[limit]);
}
