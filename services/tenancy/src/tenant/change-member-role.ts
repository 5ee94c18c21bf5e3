import { MANAGING_ROLES, type TenantRole, conflict, forbidden } from '@caas/contracts';
import type { Caller } from '../shared/caller';
import type { TenantEvent, TenantState } from './tenant.events';
import { accessOf, notAMember, requireActive, requireRole, requireVisible } from './tenant.guards';

export interface ChangeMemberRole {
  readonly kind: 'ChangeMemberRole';
  readonly tenantId: string;
  readonly caller: Caller;
  readonly userId: string;
  readonly role: TenantRole;
}

/** Owners and admins; only an owner may make or unmake an owner; the last owner stays one. */
export function changeMemberRole(command: ChangeMemberRole, state: TenantState): TenantEvent[] {
  const access = accessOf(state, command.tenantId, command.caller);
  requireVisible(access);
  const callerRole = requireRole(access, MANAGING_ROLES, 'change member roles');
  requireActive(access);
  const current = state.members[command.userId];
  if (!current) throw notAMember(command.userId);
  if ((command.role === 'owner' || current === 'owner') && callerRole !== 'owner') {
    throw forbidden('Only an owner may grant or take away the owner role');
  }
  if (current === command.role) return [];
  if (current === 'owner' && ownerCount(state) === 1) throw lastOwner(command.tenantId);
  const { tenantId, userId, role } = command;
  return [{ type: 'MemberRoleChanged', data: { tenantId, userId, role } }];
}

export function ownerCount(state: TenantState): number {
  return Object.values(state.members).filter((role) => role === 'owner').length;
}

export const lastOwner = (tenantId: string) =>
  conflict(`tenant '${tenantId}' must keep at least one owner`, { tenantId, rule: 'at-least-one-owner' });
