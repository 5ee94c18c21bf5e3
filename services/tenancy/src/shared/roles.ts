import { PLATFORM_ROLES, type PlatformRole, TENANT_ROLES, type TenantRole } from '@caas/contracts';

/** 0 for the strongest role (owner), growing towards viewer. */
export function rankOf(role: TenantRole): number {
  return TENANT_ROLES.indexOf(role);
}

/** Whether `role` is at least as strong as `minimum`. */
export function isAtLeast(role: TenantRole, minimum: TenantRole): boolean {
  return rankOf(role) <= rankOf(minimum);
}

export function isTenantRole(value: string): value is TenantRole {
  return (TENANT_ROLES as readonly string[]).includes(value);
}

export function isPlatformRole(value: string): value is PlatformRole {
  return (PLATFORM_ROLES as readonly string[]).includes(value);
}
