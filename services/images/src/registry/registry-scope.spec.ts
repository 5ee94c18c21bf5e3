import { parseScope } from './registry-scope';

describe('parseScope', () => {
  it('reads repository scopes, the actions deduplicated', () => {
    expect(parseScope('repository:acme/web:pull,push,pull')).toEqual({
      type: 'repository',
      name: 'acme/web',
      actions: ['pull', 'push'],
    });
    expect(parseScope('repository:3f0c7a1e-0d1b-4c44-9a51-2f1f5d3c9b10/api.v2:*')).toMatchObject({
      name: '3f0c7a1e-0d1b-4c44-9a51-2f1f5d3c9b10/api.v2',
      actions: ['*'],
    });
  });

  it('reads the catalog scope', () => {
    expect(parseScope('registry:catalog:*')).toEqual({ type: 'registry', name: 'catalog', actions: ['*'] });
  });

  it.each([
    ['no actions', 'repository:acme/web:'],
    ['no name', 'repository:pull'],
    ['an unknown action', 'repository:acme/web:pull,own'],
    ['an unknown type', 'namespace:acme:pull'],
    ['upper case', 'repository:Acme/web:pull'],
    ['a path climbing up', 'repository:acme/../web:pull'],
    ['a name too long', `repository:${'a'.repeat(256)}:pull`],
    ['another registry resource', 'registry:everything:*'],
  ])('refuses %s', (_, scope) => {
    expect(parseScope(scope)).toBeUndefined();
  });
});
