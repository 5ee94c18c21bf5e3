import { forbidden } from '@caas/contracts';
import { type Caller, isPlatformAdmin } from '../shared/caller';
import type { TenantEvent, TenantState } from './tenant.events';
import { accessOf, requireVisible } from './tenant.guards';

export interface ResumeTenant {
  readonly kind: 'ResumeTenant';
  readonly tenantId: string;
  readonly caller: Caller;
}

/** Platform admins only; resuming an active tenant changes nothing. */
export function resumeTenant(command: ResumeTenant, state: TenantState): TenantEvent[] {
  requireVisible(accessOf(state, command.tenantId, command.caller));
  if (!isPlatformAdmin(command.caller)) throw forbidden('Only a platform admin may resume a tenant');
  if (state.status !== 'suspended') return [];
  return [{ type: 'TenantResumed', data: { tenantId: command.tenantId } }];
}
