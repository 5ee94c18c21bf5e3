import type { PlatformRole, TenancyEvent } from '@caas/contracts';
import { streamName } from '@caas/event-store';
import { assertNever } from '@caas/domain';

export const userStream = (userId: string) => streamName('user', userId);

/** Public user events. The password and the e-mail claim live in private streams (private.events.ts). */
export type UserEvent = Extract<TenancyEvent, { type: 'UserSignedUp' | 'PlatformRoleGranted' }>;

export interface UserState {
  readonly exists: boolean;
  readonly userId: string;
  readonly email: string;
  readonly name: string;
  readonly platformRoles: readonly PlatformRole[];
}

export const initialUserState = (): UserState => ({
  exists: false,
  userId: '',
  email: '',
  name: '',
  platformRoles: [],
});

export function evolveUser(state: UserState, event: UserEvent): UserState {
  switch (event.type) {
    case 'UserSignedUp':
      return { ...state, exists: true, ...event.data };
    case 'PlatformRoleGranted':
      return { ...state, platformRoles: [...state.platformRoles, event.data.role] };
    default:
      return assertNever(event);
  }
}
