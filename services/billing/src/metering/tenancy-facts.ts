import type { TenancyEvent } from '@caas/contracts';
import type { MeterCommand } from './meter.decider';

/**
 * The meter commands a tenancy fact is: the plan a tenant is on, from when, and its
 * deletion. `created` is when tenancy recorded the event (the integration event's
 * `created`): TenantCreated and TenantDeleted carry no time of their own, and the
 * record time is the moment they took effect. Every other tenancy fact is nothing to billing.
 */
export function meterCommandsOfTenancy(event: TenancyEvent, created: string): MeterCommand[] {
  switch (event.type) {
    case 'TenantCreated': {
      const { tenantId, planId } = event.data;
      return [{ kind: 'RecordPlan', tenantId, planId, at: created }];
    }
    case 'TenantPlanChanged': {
      // A plan change may be scheduled: it is billed from when it takes effect, not from when it was asked.
      const { tenantId, planId, effectiveAt } = event.data;
      return [{ kind: 'RecordPlan', tenantId, planId, at: effectiveAt }];
    }
    case 'TenantDeleted':
      return [{ kind: 'RecordTenantDeleted', tenantId: event.data.tenantId, at: created }];
    default:
      return [];
  }
}
