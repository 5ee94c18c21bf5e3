import { deterministicUuid } from './deterministic-id';

describe('deterministicUuid', () => {
  it('is a stable version 5 UUID per name', () => {
    // The RFC 4122 URL-namespace v5 id of "http://www.example.com/" (as Python's uuid.uuid5 computes it).
    expect(deterministicUuid('http://www.example.com/')).toBe('fcde3c85-2270-590f-9e7c-ee003d65e0e2');
    expect(deterministicUuid('plan:free')).toBe(deterministicUuid('plan:free'));
    expect(deterministicUuid('plan:free')).not.toBe(deterministicUuid('plan:pro'));
    expect(deterministicUuid('x')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
