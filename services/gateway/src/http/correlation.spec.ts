import { correlationIdFrom } from './correlation';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('correlationIdFrom', () => {
  it("keeps the caller's id when it is 1–100 visible ASCII characters", () => {
    expect(correlationIdFrom('req-42/abc:XYZ')).toEqual({ id: 'req-42/abc:XYZ' });
    expect(correlationIdFrom('x'.repeat(100))).toEqual({ id: 'x'.repeat(100) });
  });

  it('generates a UUID when there is none', () => {
    expect(correlationIdFrom(undefined).id).toMatch(UUID);
    expect(correlationIdFrom('').id).toMatch(UUID);
  });

  it.each([['x'.repeat(101)], ['has space'], ['tab\tchar'], ['naïve'], [['a', 'b']]])(
    'refuses %p, answering with a fresh id',
    (header) => {
      const result = correlationIdFrom(header);
      expect(result.id).toMatch(UUID);
      expect(result.error).toMatchObject({
        code: 'validation',
        extra: { violations: [expect.objectContaining({ field: 'X-Correlation-Id', rule: 'format' })] },
      });
    },
  );
});
