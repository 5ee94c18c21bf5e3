import { MANAGING_ROLES, notFound } from '@caas/contracts';
import type { Caller } from '../shared/caller';
import type { TenantEvent, TenantState } from './tenant.events';
import { accessOf, requireActive, requireRole, requireVisible } from './tenant.guards';

export interface DeleteEnvironment {
  readonly kind: 'DeleteEnvironment';
  readonly tenantId: string;
  readonly caller: Caller;
  readonly environmentId: string;
}

/** Owners and admins; an environment of another tenant is simply not found in this one. */
export function deleteEnvironment(command: DeleteEnvironment, state: TenantState): TenantEvent[] {
  const access = accessOf(state, command.tenantId, command.caller);
  requireVisible(access);
  requireRole(access, MANAGING_ROLES, 'delete environments');
  requireActive(access);
  if (!state.environments[command.environmentId]) throw notFound('environment', command.environmentId);
  return [{ type: 'EnvironmentDeleted', data: { tenantId: command.tenantId, environmentId: command.environmentId } }];
}
