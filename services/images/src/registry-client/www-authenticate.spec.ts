import { parseChallenge } from './www-authenticate';

describe('parseChallenge', () => {
  it('reads a Bearer challenge as distribution sends it', () => {
    expect(
      parseChallenge(
        'Bearer realm="http://127.0.0.1:1/token",service="caas-registry",scope="repository:a/b:pull,push",error="insufficient_scope"',
      ),
    ).toEqual({
      scheme: 'bearer',
      realm: 'http://127.0.0.1:1/token',
      service: 'caas-registry',
      scope: 'repository:a/b:pull,push',
    });
  });

  it('takes unquoted values, spaces after commas, escaped quotes and any case', () => {
    expect(parseChallenge('bearer Realm=https://auth.example/t, service="a \\"b\\""')).toEqual({
      scheme: 'bearer',
      realm: 'https://auth.example/t',
      service: 'a "b"',
      scope: undefined,
    });
  });

  it('reads Basic, and refuses a Bearer without realm and unknown schemes', () => {
    expect(parseChallenge('Basic realm="caas-private"')).toEqual({ scheme: 'basic', realm: 'caas-private' });
    expect(parseChallenge('Bearer service="x"')).toBeUndefined();
    expect(parseChallenge('Negotiate')).toBeUndefined();
    expect(parseChallenge(null)).toBeUndefined();
  });
});
