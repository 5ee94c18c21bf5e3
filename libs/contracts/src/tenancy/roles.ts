/** Roles a member holds inside one tenant, strongest first. */
export const TENANT_ROLES = ['owner', 'admin', 'developer', 'viewer'] as const;
export type TenantRole = (typeof TENANT_ROLES)[number];

/** Platform-wide roles, held by the platform's own staff. */
export const PLATFORM_ROLES = ['platform-admin', 'finance'] as const;
export type PlatformRole = (typeof PLATFORM_ROLES)[number];

/** Roles that may change a tenant's configuration (members, keys, environments). */
export const MANAGING_ROLES: readonly TenantRole[] = ['owner', 'admin'];

/** Roles that may change anything at all inside a tenant; a viewer may only read. */
export const WRITING_ROLES: readonly TenantRole[] = ['owner', 'admin', 'developer'];
