import { forbidden } from '@caas/contracts';
import { type Caller, isPlatformAdmin } from '../shared/caller';
import type { TenantEvent, TenantState } from './tenant.events';
import { accessOf, requireVisible } from './tenant.guards';

export interface SuspendTenant {
  readonly kind: 'SuspendTenant';
  readonly tenantId: string;
  readonly caller: Caller;
  readonly reason: string;
}

/** Platform admins only; suspending a suspended tenant changes nothing. */
export function suspendTenant(command: SuspendTenant, state: TenantState): TenantEvent[] {
  requireVisible(accessOf(state, command.tenantId, command.caller));
  if (!isPlatformAdmin(command.caller)) throw forbidden('Only a platform admin may suspend a tenant');
  if (state.status === 'suspended') return [];
  return [{ type: 'TenantSuspended', data: { tenantId: command.tenantId, reason: command.reason } }];
}
