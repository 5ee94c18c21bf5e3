import { parseAuthorization } from './credentials';

describe('parseAuthorization', () => {
  it('reads a JWT and an API key from a bearer header', () => {
    expect(parseAuthorization('Bearer aaa.bbb.ccc')).toEqual({ kind: 'jwt', token: 'aaa.bbb.ccc' });
    expect(parseAuthorization('bearer caas_abc123')).toEqual({ kind: 'api-key', secret: 'caas_abc123' });
  });

  it('is null without a header: the route decides whether that is allowed', () => {
    expect(parseAuthorization(undefined)).toBeNull();
  });

  it.each([
    'Basic dXNlcjpwYXNz',
    'Bearer',
    'Bearer ',
    'Bearer a b',
    'Bearer not-a-jwt',
    `Bearer caas_${'x'.repeat(200)}`,
  ])('refuses %p as unauthenticated', (header) => {
    expect(() => parseAuthorization(header)).toThrow(expect.objectContaining({ code: 'unauthenticated' }));
  });
});
