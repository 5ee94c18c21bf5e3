import { canonicalJson, parseIdempotencyKey } from './idempotency-key';

describe('parseIdempotencyKey', () => {
  it('accepts 1–255 visible ASCII characters', () => {
    expect(parseIdempotencyKey('a')).toBe('a');
    expect(parseIdempotencyKey('6f1c2b9e-3d0a-4c7e-9f5b-1a2b3c4d5e6f')).toBe('6f1c2b9e-3d0a-4c7e-9f5b-1a2b3c4d5e6f');
    expect(parseIdempotencyKey('~'.repeat(255))).toHaveLength(255);
  });

  it('is null without the header', () => {
    expect(parseIdempotencyKey(undefined)).toBeNull();
  });

  it.each([[''], ['x'.repeat(256)], ['with space'], ['é'], ['a\u0000b'], [['a', 'b']]])(
    'refuses %p with 400',
    (header) => {
      expect(() => parseIdempotencyKey(header)).toThrow(
        expect.objectContaining({
          code: 'validation',
          extra: { violations: [expect.objectContaining({ field: 'Idempotency-Key', rule: 'format' })] },
        }),
      );
    },
  );
});

describe('canonicalJson', () => {
  it('sorts keys at every level, keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[2,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('tells an absent body from an empty one', () => {
    expect(canonicalJson(undefined)).toBe('');
    expect(canonicalJson({})).toBe('{}');
  });
});
