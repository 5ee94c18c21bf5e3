import type { MeterEvent, MeterState } from './meter.events';
import { effectiveAt } from './record-storage';

/** A tenancy fact: the tenant was created on a plan (TenantCreated) or moved to one (TenantPlanChanged). */
export interface RecordPlan {
  readonly kind: 'RecordPlan';
  readonly tenantId: string;
  readonly planId: string;
  readonly at: string;
}

/**
 * The plan from `at` on. The plan already in force (a redelivery) records nothing, nor
 * does anything after the tenant is gone. A change for an hour already closed takes
 * effect from the next open hour: closed hours are never billed on another plan.
 */
export function recordPlan(command: RecordPlan, state: MeterState): MeterEvent[] {
  const { tenantId, planId, at } = command;
  if (state.departedAt !== null || state.plans.at(-1)?.planId === planId) return [];
  return [{ type: 'PlanRecorded', data: { tenantId, planId, at: effectiveAt(at, state) } }];
}
