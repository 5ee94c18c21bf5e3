import { MANAGING_ROLES, forbidden } from '@caas/contracts';
import type { Caller } from '../shared/caller';
import { lastOwner, ownerCount } from './change-member-role';
import type { TenantEvent, TenantState } from './tenant.events';
import { accessOf, notAMember, requireActive, requireRole, requireVisible } from './tenant.guards';

export interface RemoveMember {
  readonly kind: 'RemoveMember';
  readonly tenantId: string;
  readonly caller: Caller;
  readonly userId: string;
}

/** Owners and admins; only an owner may remove an owner; the last owner cannot be removed. */
export function removeMember(command: RemoveMember, state: TenantState): TenantEvent[] {
  const access = accessOf(state, command.tenantId, command.caller);
  requireVisible(access);
  const callerRole = requireRole(access, MANAGING_ROLES, 'remove members');
  requireActive(access);
  const current = state.members[command.userId];
  if (!current) throw notAMember(command.userId);
  if (current === 'owner' && callerRole !== 'owner') throw forbidden('Only an owner may remove an owner');
  if (current === 'owner' && ownerCount(state) === 1) throw lastOwner(command.tenantId);
  return [{ type: 'MemberRemoved', data: { tenantId: command.tenantId, userId: command.userId } }];
}
