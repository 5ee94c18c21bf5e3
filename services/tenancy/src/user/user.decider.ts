import { type Decider, assertNever } from '@caas/domain';
import { type GrantPlatformRole, grantPlatformRole } from './grant-platform-role';
import { type SignUp, signUp } from './sign-up';
import { type UserEvent, type UserState, evolveUser, initialUserState } from './user.events';

export type UserCommand = SignUp | GrantPlatformRole;

export const userDecider: Decider<UserCommand, UserEvent, UserState> = {
  initialState: initialUserState,
  evolve: evolveUser,
  decide: (command, state) => {
    switch (command.kind) {
      case 'SignUp':
        return signUp(command, state);
      case 'GrantPlatformRole':
        return grantPlatformRole(command, state);
      default:
        return assertNever(command);
    }
  },
};
