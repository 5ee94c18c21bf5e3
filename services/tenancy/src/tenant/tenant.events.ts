import type { TenancyEvent, TenantRole } from '@caas/contracts';
import { streamName } from '@caas/event-store';
import { assertNever } from '@caas/domain';

export const tenantStream = (tenantId: string) => streamName('tenant', tenantId);

/** A tenant's stream holds the tenant, its members and invitations, and its environments. */
export type TenantEvent = Extract<
  TenancyEvent,
  {
    type:
      | 'TenantCreated'
      | 'TenantRenamed'
      | 'TenantSuspended'
      | 'TenantResumed'
      | 'TenantDeleted'
      | 'TenantPlanChanged'
      | 'MemberInvited'
      | 'MemberJoined'
      | 'MemberRoleChanged'
      | 'MemberRemoved'
      | 'EnvironmentCreated'
      | 'EnvironmentDeleted';
  }
>;

export type TenantStatus = 'none' | 'active' | 'suspended' | 'deleted';

export interface Invitation {
  /** Lowercased. */
  readonly email: string;
  readonly role: TenantRole;
  readonly accepted: boolean;
}

/** A plan taking effect at `effectiveAt` (ISO 8601); null for the plan chosen at creation. */
export interface PlanChange {
  readonly planId: string;
  readonly effectiveAt: string | null;
}

export interface TenantState {
  readonly status: TenantStatus;
  readonly tenantId: string;
  readonly name: string;
  /** In event order. */
  readonly planChanges: readonly PlanChange[];
  readonly members: Readonly<Record<string, TenantRole>>;
  readonly invitations: Readonly<Record<string, Invitation>>;
  /** environmentId → name */
  readonly environments: Readonly<Record<string, string>>;
}

export const initialTenantState = (): TenantState => ({
  status: 'none',
  tenantId: '',
  name: '',
  planChanges: [],
  members: {},
  invitations: {},
  environments: {},
});

export function evolveTenant(state: TenantState, event: TenantEvent): TenantState {
  switch (event.type) {
    case 'TenantCreated': {
      const { tenantId, name, planId } = event.data;
      return { ...state, status: 'active', tenantId, name, planChanges: [{ planId, effectiveAt: null }] };
    }
    case 'TenantRenamed':
      return { ...state, name: event.data.name };
    case 'TenantSuspended':
      return { ...state, status: 'suspended' };
    case 'TenantResumed':
      return { ...state, status: 'active' };
    case 'TenantDeleted':
      return { ...state, status: 'deleted' };
    case 'TenantPlanChanged': {
      const { planId, effectiveAt } = event.data;
      return { ...state, planChanges: [...stillScheduled(state.planChanges, effectiveAt), { planId, effectiveAt }] };
    }
    case 'MemberInvited': {
      const { invitationId, email, role } = event.data;
      return { ...state, invitations: { ...state.invitations, [invitationId]: { email, role, accepted: false } } };
    }
    case 'MemberJoined': {
      const { invitationId, userId, role } = event.data;
      const invitation = invitationId ? state.invitations[invitationId] : undefined;
      const invitations =
        invitationId && invitation
          ? { ...state.invitations, [invitationId]: { ...invitation, accepted: true } }
          : state.invitations;
      return { ...state, members: { ...state.members, [userId]: role }, invitations };
    }
    case 'MemberRoleChanged':
      return { ...state, members: { ...state.members, [event.data.userId]: event.data.role } };
    case 'MemberRemoved':
      return { ...state, members: without(state.members, event.data.userId) };
    case 'EnvironmentCreated':
      return { ...state, environments: { ...state.environments, [event.data.environmentId]: event.data.name } };
    case 'EnvironmentDeleted':
      return { ...state, environments: without(state.environments, event.data.environmentId) };
    default:
      return assertNever(event);
  }
}

function without<T>(record: Readonly<Record<string, T>>, key: string): Record<string, T> {
  const copy = { ...record };
  delete copy[key];
  return copy;
}

/**
 * The latest decision wins: a plan change supersedes the changes that were scheduled
 * to take effect after it (the read model applies the same rule).
 */
export function stillScheduled(changes: readonly PlanChange[], effectiveAt: string): PlanChange[] {
  const from = Date.parse(effectiveAt);
  return changes.filter((change) => change.effectiveAt === null || Date.parse(change.effectiveAt) <= from);
}

/**
 * The plan in force at `at`: the latest change whose effectiveAt has come (the one
 * made at creation always has); of changes effective at the same instant, the later
 * one wins.
 */
export function planInForce(state: TenantState, at: string): string | undefined {
  const now = Date.parse(at);
  let inForce: { planId: string; since: number } | undefined;
  for (const change of state.planChanges) {
    const since = change.effectiveAt === null ? -Infinity : Date.parse(change.effectiveAt);
    if (since <= now && (!inForce || since >= inForce.since)) inForce = { planId: change.planId, since };
  }
  return inForce?.planId;
}
