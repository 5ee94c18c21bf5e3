import { MANAGING_ROLES } from '@caas/contracts';
import type { Caller } from '../shared/caller';
import type { TenantEvent, TenantState } from './tenant.events';
import { accessOf, requireActive, requireRole, requireVisible } from './tenant.guards';

export interface RenameTenant {
  readonly kind: 'RenameTenant';
  readonly tenantId: string;
  readonly caller: Caller;
  readonly name: string;
}

export function renameTenant(command: RenameTenant, state: TenantState): TenantEvent[] {
  const access = accessOf(state, command.tenantId, command.caller);
  requireVisible(access);
  requireRole(access, MANAGING_ROLES, 'rename the tenant');
  requireActive(access);
  if (state.name === command.name) return [];
  return [{ type: 'TenantRenamed', data: { tenantId: command.tenantId, name: command.name } }];
}
