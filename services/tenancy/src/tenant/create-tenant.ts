import { conflict, invalid } from '@caas/contracts';
import type { TenantEvent, TenantState } from './tenant.events';

export interface CreateTenant {
  readonly kind: 'CreateTenant';
  readonly tenantId: string;
  readonly name: string;
  readonly planId: string;
  /** Whether the plan exists, looked up by the handler (deciders do no I/O). */
  readonly planDefined: boolean;
  readonly ownerUserId: string;
}

/** The creator joins as the first owner, without an invitation. */
export function createTenant(command: CreateTenant, state: TenantState): TenantEvent[] {
  const { tenantId, name, planId, ownerUserId } = command;
  if (state.status !== 'none') throw conflict(`tenant '${tenantId}' already exists`);
  if (!command.planDefined) throw invalid('planId', 'exists', `plan '${planId}' does not exist`);
  return [
    { type: 'TenantCreated', data: { tenantId, name, planId, ownerUserId } },
    { type: 'MemberJoined', data: { tenantId, invitationId: null, userId: ownerUserId, role: 'owner' } },
  ];
}
