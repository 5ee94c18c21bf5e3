import type { PlanQuotas } from './tenancy.events';
import type { PlatformRole, TenantRole } from './roles';

/** What tenancy queries answer (read-model views), version 1. */
export interface TenantView {
  readonly tenantId: string;
  readonly name: string;
  readonly status: 'active' | 'suspended' | 'deleted';
  readonly planId: string;
  readonly createdAt: string;
  /** The caller's role, when the caller is a member. */
  readonly role?: TenantRole;
}

export interface MemberView {
  readonly userId: string;
  readonly email: string;
  readonly name: string;
  readonly role: TenantRole;
  readonly joinedAt: string;
}

export interface InvitationView {
  readonly invitationId: string;
  readonly tenantId: string;
  readonly email: string;
  readonly role: TenantRole;
  readonly status: 'pending' | 'accepted';
  readonly invitedAt: string;
}

export interface ApiKeyView {
  readonly keyId: string;
  readonly name: string;
  readonly role: TenantRole;
  /** The first characters of the secret, to recognise it; the secret itself is shown once. */
  readonly prefix: string;
  readonly status: 'active' | 'revoked';
  readonly createdAt: string;
}

export interface CreatedApiKey {
  readonly keyId: string;
  /** Shown once, never stored in clear. */
  readonly secret: string;
}

export interface EnvironmentView {
  readonly environmentId: string;
  readonly name: string;
  readonly createdAt: string;
}

export interface PlanView {
  readonly planId: string;
  readonly name: string;
  readonly quotas: PlanQuotas;
}

export interface AuthenticatedUser {
  readonly userId: string;
  readonly email: string;
  readonly platformRoles: readonly PlatformRole[];
}

/** A user's platform roles, as a grant answers them. */
export interface UserPlatformRolesView {
  readonly userId: string;
  readonly email: string;
  readonly platformRoles: readonly PlatformRole[];
}

export interface AuthenticatedApiKey {
  readonly keyId: string;
  readonly tenantId: string;
  readonly role: TenantRole;
}

export interface Membership {
  readonly tenantId: string;
  readonly userId: string;
  readonly role: TenantRole;
}
