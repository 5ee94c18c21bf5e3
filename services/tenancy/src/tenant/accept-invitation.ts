import { conflict, notFound } from '@caas/contracts';
import type { TenantEvent, TenantState } from './tenant.events';
import { requireActive } from './tenant.guards';

export interface AcceptInvitation {
  readonly kind: 'AcceptInvitation';
  readonly tenantId: string;
  readonly invitationId: string;
  readonly userId: string;
  /** The accepting user's address (from their account, lowercased). */
  readonly email: string;
}

/**
 * Only the invited address may accept, once. Anyone else — or an invitation already
 * used — gets not_found: an invitation id must not reveal anything to whoever holds it.
 */
export function acceptInvitation(command: AcceptInvitation, state: TenantState): TenantEvent[] {
  const { tenantId, invitationId, userId } = command;
  const invitation = state.invitations[invitationId];
  const gone = state.status === 'none' || state.status === 'deleted';
  if (gone || !invitation || invitation.accepted || invitation.email !== command.email) {
    throw notFound('invitation', invitationId);
  }
  requireActive({ tenantId, status: state.status });
  if (state.members[userId]) throw conflict(`You are already a member of tenant '${tenantId}'`);
  return [{ type: 'MemberJoined', data: { tenantId, invitationId, userId, role: invitation.role } }];
}
