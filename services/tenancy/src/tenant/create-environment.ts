import { MANAGING_ROLES, conflict } from '@caas/contracts';
import type { Caller } from '../shared/caller';
import type { TenantEvent, TenantState } from './tenant.events';
import { accessOf, requireActive, requireRole, requireVisible } from './tenant.guards';

export interface CreateEnvironment {
  readonly kind: 'CreateEnvironment';
  readonly tenantId: string;
  readonly caller: Caller;
  readonly environmentId: string;
  readonly name: string;
}

/** Owners and admins; names are unique within the tenant (the aggregate guards it, not an index). */
export function createEnvironment(command: CreateEnvironment, state: TenantState): TenantEvent[] {
  const access = accessOf(state, command.tenantId, command.caller);
  requireVisible(access);
  requireRole(access, MANAGING_ROLES, 'create environments');
  requireActive(access);
  const { tenantId, environmentId, name } = command;
  if (Object.values(state.environments).includes(name)) {
    throw conflict(`environment '${name}' already exists in this tenant`, { name });
  }
  if (state.environments[environmentId]) throw conflict(`environment '${environmentId}' already exists`);
  return [{ type: 'EnvironmentCreated', data: { tenantId, environmentId, name } }];
}
