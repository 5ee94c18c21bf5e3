/**
 * NATS request/reply subjects of the tenancy service (queue group `tenancy`).
 * Commands change state and answer with ids; queries answer read-model views.
 */
export const TENANCY = {
  signUp: 'tenancy.user.sign-up',
  verifyPassword: 'tenancy.user.verify-password',
  verifyApiKey: 'tenancy.api-key.verify',
  /** Answers the caller's role in a tenant, or not_found: used to scope a user's token. */
  membership: 'tenancy.membership.get',
  /** Platform admins only: grants a platform role to a user named by e-mail (idempotent). */
  grantPlatformRole: 'tenancy.platform-role.grant',

  createTenant: 'tenancy.tenant.create',
  renameTenant: 'tenancy.tenant.rename',
  suspendTenant: 'tenancy.tenant.suspend',
  resumeTenant: 'tenancy.tenant.resume',
  deleteTenant: 'tenancy.tenant.delete',
  changePlan: 'tenancy.tenant.change-plan',
  getTenant: 'tenancy.tenant.get',
  listMyTenants: 'tenancy.tenant.list-mine',
  listAllTenants: 'tenancy.tenant.list-all',

  inviteMember: 'tenancy.member.invite',
  acceptInvitation: 'tenancy.invitation.accept',
  changeMemberRole: 'tenancy.member.change-role',
  removeMember: 'tenancy.member.remove',
  listMembers: 'tenancy.member.list',
  listInvitations: 'tenancy.invitation.list',

  createApiKey: 'tenancy.api-key.create',
  revokeApiKey: 'tenancy.api-key.revoke',
  listApiKeys: 'tenancy.api-key.list',

  createEnvironment: 'tenancy.environment.create',
  deleteEnvironment: 'tenancy.environment.delete',
  listEnvironments: 'tenancy.environment.list',

  listPlans: 'tenancy.plan.list',
  /** The tenant's plan quotas in force now: the one source for every quota check. */
  getQuotas: 'tenancy.quota.get',
} as const;
