import { CaasError } from '@caas/contracts';
import { feedStart, feedTypes } from './event-stream.query';

describe('feedStart', () => {
  it('starts at new events without a position', () => {
    expect(feedStart(undefined, {})).toBe('new');
    // Browsers send no header for an empty last event id: an empty one means none.
    expect(feedStart('  ', {})).toBe('new');
  });

  it('takes the query on a first connect, and the header over it', () => {
    expect(feedStart(undefined, { lastEventId: '41' })).toEqual({ after: 41 });
    expect(feedStart('57', { lastEventId: '41' })).toEqual({ after: 57 });
    expect(feedStart('0', {})).toEqual({ after: 0 });
  });

  it.each(['x', '-1', '1.5', '1e3', '1234567890123456'])('refuses Last-Event-ID %p, naming the header', (header) => {
    let thrown: unknown;
    try {
      feedStart(header, { lastEventId: '1' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(CaasError);
    expect((thrown as CaasError).toBody()).toMatchObject({
      code: 'validation',
      violations: [expect.objectContaining({ field: 'Last-Event-ID', rule: 'isSequence' })],
    });
  });
});

describe('feedTypes', () => {
  it('is every type without ?types=, else the set named', () => {
    expect(feedTypes({})).toBeUndefined();
    expect([...feedTypes({ types: 'A,B,A' })!]).toEqual(['A', 'B']);
  });
});
