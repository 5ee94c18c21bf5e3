import { JwtService } from '@nestjs/jwt';
import { TOKEN_TTL_SECONDS, TokenService } from './token.service';

const SECRET = 'test-secret-test-secret-test-secret';
const T0 = Date.UTC(2026, 10, 22, 12, 0, 0);
const user = { userId: 'u-1', email: 'ada@example.com', platformRoles: ['platform-admin'] as const };

describe('TokenService', () => {
  let now = T0;
  const tokens = new TokenService(SECRET, () => now);
  beforeEach(() => (now = T0));

  it('issues an HS256 user token for one hour, with sub, kind and platform roles', () => {
    const issued = tokens.issueUserToken({ ...user, platformRoles: [...user.platformRoles] });
    expect(issued.expiresIn).toBe(3600);
    const [header] = issued.token.split('.');
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toMatchObject({ alg: 'HS256' });
    const claims = new JwtService().decode(issued.token);
    expect(claims).toMatchObject({
      sub: 'u-1',
      kind: 'user',
      platformRoles: ['platform-admin'],
      exp: T0 / 1000 + 3600,
    });
    expect(claims.tid).toBeUndefined();
    expect(tokens.verify(issued.token)).toEqual({
      type: 'user',
      userId: 'u-1',
      platformRoles: ['platform-admin'],
      tenantId: null,
      role: null,
      expiresAt: T0 / 1000 + 3600,
    });
  });

  it('scopes a tenant token with tid and role, never past the presented token', () => {
    const principal = tokens.verify(tokens.issueUserToken({ ...user, platformRoles: [] }).token);
    now = T0 + 45 * 60 * 1000;
    const issued = tokens.issueTenantToken(principal, { tenantId: 't-1', userId: 'u-1', role: 'admin' });
    expect(issued.expiresIn).toBe(15 * 60);
    expect(new JwtService().decode(issued.token)).toMatchObject({ tid: 't-1', role: 'admin', sub: 'u-1' });
    expect(tokens.verify(issued.token)).toMatchObject({ tenantId: 't-1', expiresAt: principal.expiresAt });
  });

  it('refuses an expired token, saying so', () => {
    const issued = tokens.issueUserToken({ ...user, platformRoles: [] });
    now = T0 + (TOKEN_TTL_SECONDS + 1) * 1000;
    expect(() => tokens.verify(issued.token)).toThrow(
      expect.objectContaining({ code: 'unauthenticated', message: 'Token expired: log in again' }),
    );
  });

  it('refuses tokens signed with another secret, another algorithm or by someone else', () => {
    const claims = { sub: 'u-1', kind: 'user', platformRoles: ['platform-admin'], iss: 'caas-gateway' };
    const forged = [
      new JwtService({ secret: 'another-secret' }).sign(claims, { expiresIn: 60 }),
      new JwtService({ secret: SECRET }).sign(claims, { expiresIn: 60, algorithm: 'HS512' }),
      new JwtService({ secret: SECRET }).sign({ ...claims, iss: 'someone-else' }, { expiresIn: 60 }),
      new JwtService({ secret: SECRET }).sign({ ...claims, kind: 'service' }, { expiresIn: 60 }),
      // Never expires: not one of ours.
      new JwtService({ secret: SECRET }).sign(claims),
      `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.x`,
    ];
    for (const token of forged) {
      expect(() => new TokenService(SECRET).verify(token)).toThrow(
        expect.objectContaining({ code: 'unauthenticated', message: 'Invalid token' }),
      );
    }
  });

  it('drops platform roles it does not know', () => {
    const token = new JwtService({ secret: SECRET }).sign(
      { sub: 'u', kind: 'user', platformRoles: ['finance', 'god'], iss: 'caas-gateway' },
      { expiresIn: 60 },
    );
    expect(new TokenService(SECRET).verify(token).platformRoles).toEqual(['finance']);
  });
});
