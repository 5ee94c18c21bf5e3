import { CaasError } from '@caas/contracts';
import { registryUrlOf } from './registry-url';
import { parseSourceReference } from './source-reference';

const DIGEST = `sha256:${'a'.repeat(64)}`;

describe('an import’s source reference', () => {
  it('reads host[:port]/path[:tag|@digest]; no tag means latest, a digest pins the image', () => {
    expect(parseSourceReference('127.0.0.1:55001/team/app:1.2')).toEqual({
      registry: '127.0.0.1:55001',
      repository: 'team/app',
      tag: '1.2',
      reference: '1.2',
    });
    expect(parseSourceReference('registry.example.com/app')).toMatchObject({ repository: 'app', reference: 'latest' });
    expect(parseSourceReference(`localhost:5000/app@${DIGEST}`)).toEqual({
      registry: 'localhost:5000',
      repository: 'app',
      digest: DIGEST,
      reference: DIGEST,
    });
  });

  it.each([
    ['no registry host', 'team/app:1'],
    ['a bare name', 'busybox'],
    ['an upper-case path', '127.0.0.1:5000/Team/app'],
    ['a bad tag', '127.0.0.1:5000/app:-x'],
    ['a short digest', '127.0.0.1:5000/app@sha256:abc'],
    ['a URL', 'http://127.0.0.1:5000/app:1'],
  ])('refuses %s as a validation error on source', (_, source) => {
    let error: unknown;
    try {
      parseSourceReference(source);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CaasError);
    expect((error as CaasError).code).toBe('validation');
    expect((error as CaasError).extra.violations?.[0]?.field).toBe('source');
  });
});

describe('how another registry is reached', () => {
  it('plain http on loopback or when the operator lists it, https otherwise', () => {
    expect(registryUrlOf('127.0.0.1:55001')).toBe('http://127.0.0.1:55001');
    expect(registryUrlOf('localhost')).toBe('http://localhost');
    expect(registryUrlOf('registry.example.com')).toBe('https://registry.example.com');
    expect(registryUrlOf('10.0.0.5:5000', ['10.0.0.5:5000'])).toBe('http://10.0.0.5:5000');
  });
});
