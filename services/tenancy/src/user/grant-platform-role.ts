import { type PlatformRole, notFound } from '@caas/contracts';
import type { UserEvent, UserState } from './user.events';

export interface GrantPlatformRole {
  readonly kind: 'GrantPlatformRole';
  readonly userId: string;
  readonly role: PlatformRole;
}

/** Granting a role the user already holds changes nothing (the bootstrap seed relies on it). */
export function grantPlatformRole(command: GrantPlatformRole, state: UserState): UserEvent[] {
  if (!state.exists) throw notFound('user', command.userId);
  if (state.platformRoles.includes(command.role)) return [];
  return [{ type: 'PlatformRoleGranted', data: { userId: command.userId, role: command.role } }];
}
