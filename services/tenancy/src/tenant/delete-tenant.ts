import type { Caller } from '../shared/caller';
import type { TenantEvent, TenantState } from './tenant.events';
import { accessOf, requireRole, requireVisible } from './tenant.guards';

export interface DeleteTenant {
  readonly kind: 'DeleteTenant';
  readonly tenantId: string;
  readonly caller: Caller;
}

/**
 * Owners only, allowed while suspended. The events stay for the audit trail; every
 * later command and query answers not_found.
 */
export function deleteTenant(command: DeleteTenant, state: TenantState): TenantEvent[] {
  const access = accessOf(state, command.tenantId, command.caller);
  requireVisible(access);
  requireRole(access, ['owner'], 'delete the tenant');
  return [{ type: 'TenantDeleted', data: { tenantId: command.tenantId } }];
}
