import { MANAGING_ROLES, type TenantRole, conflict, forbidden } from '@caas/contracts';
import type { Caller } from '../shared/caller';
import type { TenantEvent, TenantState } from './tenant.events';
import { accessOf, requireActive, requireRole, requireVisible } from './tenant.guards';

export interface InviteMember {
  readonly kind: 'InviteMember';
  readonly tenantId: string;
  readonly caller: Caller;
  readonly invitationId: string;
  /** Lowercased. */
  readonly email: string;
  readonly role: TenantRole;
}

/** Owners and admins invite; only an owner may invite another owner. One pending invitation per address. */
export function inviteMember(command: InviteMember, state: TenantState): TenantEvent[] {
  const access = accessOf(state, command.tenantId, command.caller);
  requireVisible(access);
  const role = requireRole(access, MANAGING_ROLES, 'invite members');
  requireActive(access);
  if (command.role === 'owner' && role !== 'owner') throw forbidden('Only an owner may invite an owner');
  const pending = Object.values(state.invitations).some((i) => !i.accepted && i.email === command.email);
  if (pending) throw conflict(`'${command.email}' already has a pending invitation`, { email: command.email });
  const { tenantId, invitationId, email } = command;
  return [{ type: 'MemberInvited', data: { tenantId, invitationId, email, role: command.role } }];
}
