import { spec } from '@caas/domain/src/decider-spec';
import type { UserEvent } from './user.events';
import { userDecider } from './user.decider';

const userId = '1f0e0f64-3c52-4b5e-9d43-0d6d2f8a1b11';
const signedUp: UserEvent = { type: 'UserSignedUp', data: { userId, email: 'ada@example.com', name: 'Ada' } };

describe('user decider', () => {
  describe('SignUp', () => {
    it('records the new user', () =>
      spec(userDecider)
        .given([])
        .when({ kind: 'SignUp', userId, email: 'ada@example.com', name: 'Ada' })
        .then([signedUp]));

    it('refuses a second sign-up on the same account', () =>
      spec(userDecider)
        .given([signedUp])
        .when({ kind: 'SignUp', userId, email: 'ada@example.com', name: 'Ada' })
        .thenFails('conflict'));
  });

  describe('GrantPlatformRole', () => {
    it('grants a platform role', () =>
      spec(userDecider)
        .given([signedUp])
        .when({ kind: 'GrantPlatformRole', userId, role: 'platform-admin' })
        .then([{ type: 'PlatformRoleGranted', data: { userId, role: 'platform-admin' } }]));

    it('changes nothing when the role is already held', () =>
      spec(userDecider)
        .given([signedUp, { type: 'PlatformRoleGranted', data: { userId, role: 'finance' } }])
        .when({ kind: 'GrantPlatformRole', userId, role: 'finance' })
        .then([]));

    it('answers not_found for an unknown user', () =>
      spec(userDecider)
        .given([])
        .when({ kind: 'GrantPlatformRole', userId, role: 'platform-admin' })
        .thenFails('not_found'));
  });
});
