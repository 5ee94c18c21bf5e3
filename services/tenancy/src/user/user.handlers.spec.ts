import { type AuthenticatedUser, TENANCY } from '@caas/contracts';
import {
  PASSWORD,
  type TenancyUnderTest,
  signUp,
  startTenancyForTest,
  uniqueEmail,
  userMeta,
} from '../testing/tenancy-test-kit';

describe('tenancy over NATS: sign-up and passwords', () => {
  let tenancy: TenancyUnderTest;
  const anonymous = userMeta('anonymous');

  beforeAll(async () => {
    tenancy = await startTenancyForTest();
  });
  afterAll(() => tenancy?.close());

  it('signs up and verifies the password, case-insensitively on the e-mail', async () => {
    const { client } = tenancy;
    const email = uniqueEmail('Ada');
    const { userId } = await client.call<{ userId: string }>(
      TENANCY.signUp,
      { email, name: 'Ada', password: PASSWORD },
      anonymous,
    );

    const user = await client.call<AuthenticatedUser>(
      TENANCY.verifyPassword,
      { email: email.toUpperCase(), password: PASSWORD },
      anonymous,
    );
    expect(user).toEqual({ userId, email: email.toLowerCase(), platformRoles: [] });
  });

  it('a second sign-up with the same e-mail is a conflict naming it', async () => {
    const { client } = tenancy;
    const { email } = await signUp(client, 'grace');
    const error = await client.expectRefused(
      TENANCY.signUp,
      { email: email.toUpperCase(), name: 'Other Grace', password: 'another long password' },
      anonymous,
      'conflict',
    );
    expect(error.message).toContain(email.toLowerCase());
    expect(error.extra.details).toEqual({ email: email.toLowerCase() });
  });

  it('concurrent sign-ups with one e-mail: exactly one wins', async () => {
    const { client } = tenancy;
    const email = uniqueEmail('race');
    const results = await Promise.allSettled(
      Array.from({ length: 4 }, (_, i) =>
        client.call(TENANCY.signUp, { email, name: `Racer ${i}`, password: PASSWORD }, anonymous),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.code)).toEqual(
      ['conflict', 'conflict', 'conflict'],
    );
  });

  it('a wrong password and an unknown e-mail get the same unauthenticated answer', async () => {
    const { client } = tenancy;
    const { email } = await signUp(client, 'linus');
    const wrong = await client.expectRefused(
      TENANCY.verifyPassword,
      { email, password: 'not the password' },
      anonymous,
      'unauthenticated',
    );
    const unknown = await client.expectRefused(
      TENANCY.verifyPassword,
      { email: uniqueEmail('nobody'), password: PASSWORD },
      anonymous,
      'unauthenticated',
    );
    expect(wrong.message).toBe(unknown.message);
  });

  it('refuses a short password and a malformed e-mail with validation errors', async () => {
    const error = await tenancy.client.expectRefused(
      TENANCY.signUp,
      { email: 'not-an-email', name: 'X', password: 'short' },
      anonymous,
      'validation',
    );
    expect(error.extra.violations?.map((v) => v.field).sort()).toEqual(['email', 'password']);
  });
});
