import {
  ANY,
  CancelledError,
  DeadlineExceededError,
  InvalidArgumentError as ClientInvalidArgumentError,
  NO_STREAM,
  NotLeaderError,
  STREAM_EXISTS,
  StreamDeletedError as ClientStreamDeletedError,
  StreamNotFoundError as ClientStreamNotFoundError,
  UnavailableError,
  WrongExpectedVersionError as ClientWrongExpectedVersionError,
} from '@eventstore/db-client';
import type { AllStreamResolvedEvent, ResolvedEvent } from '@eventstore/db-client';
import { InvalidArgumentError, StreamDeletedError, StreamNotFoundError, WrongExpectedVersionError } from '../errors';
import type { RecordedEvent } from '../types';
import {
  SubscriptionDroppedError,
  isTransient,
  mapError,
  matchesFilter,
  toActualRevision,
  toClientDeleteRevision,
  toClientExpectedRevision,
  toRecordedEvent,
  toServerFilter,
} from './eventstoredb-event-store';

// The client's error classes are constructed for real: their constructors accept
// `undefined` instead of a gRPC ServiceError plus the details (the same path the client
// uses for errors it builds itself), so `instanceof` is exercised against the real classes.

describe('toClientExpectedRevision', () => {
  it('maps the named expectations to the client constants', () => {
    expect(toClientExpectedRevision('any')).toBe(ANY);
    expect(toClientExpectedRevision('no_stream')).toBe(NO_STREAM);
    expect(toClientExpectedRevision('stream_exists')).toBe(STREAM_EXISTS);
  });

  it('passes revisions through', () => {
    expect(toClientExpectedRevision(0n)).toBe(0n);
    expect(toClientExpectedRevision(41n)).toBe(41n);
  });

  it('rejects negative revisions, which the server would read as its own constants', () => {
    expect(() => toClientExpectedRevision(-1n)).toThrow(InvalidArgumentError);
  });
});

describe('toClientDeleteRevision', () => {
  it('maps any / no_stream / revisions', () => {
    expect(toClientDeleteRevision('any')).toBe(ANY);
    expect(toClientDeleteRevision('no_stream')).toBe(NO_STREAM);
    expect(toClientDeleteRevision(7n)).toBe(7n);
  });
});

describe('toActualRevision', () => {
  it('reads NO_STREAM and the raw -1 of the unary error path as no_stream', () => {
    expect(toActualRevision(NO_STREAM)).toBe('no_stream');
    expect(toActualRevision(-1n)).toBe('no_stream');
  });

  it('keeps real revisions', () => {
    expect(toActualRevision(0n)).toBe(0n);
    expect(toActualRevision(12n)).toBe(12n);
  });
});

describe('mapError', () => {
  const wrongExpectedVersion = (
    current: bigint | typeof NO_STREAM,
    expected: bigint | 'any' | 'no_stream' | 'stream_exists' = 3n,
  ) => new ClientWrongExpectedVersionError(undefined, { streamName: 'client-name', expected, current });

  it('maps a wrong expected version to ours, preferring the caller’s stream and expectation', () => {
    const mapped = mapError(wrongExpectedVersion(5n), { streamName: 'order-1', expectedRevision: 3n });
    expect(mapped).toBeInstanceOf(WrongExpectedVersionError);
    expect(mapped).toMatchObject({ streamName: 'order-1', expectedRevision: 3n, actualRevision: 5n });
  });

  it('reports a missing stream as no_stream', () => {
    const mapped = mapError(wrongExpectedVersion(NO_STREAM, STREAM_EXISTS), {
      streamName: 'order-1',
      expectedRevision: 'stream_exists',
    });
    expect(mapped).toMatchObject({ expectedRevision: 'stream_exists', actualRevision: 'no_stream' });
  });

  it('falls back to what the error carries, decoding the server’s raw expected revision', () => {
    expect(mapError(wrongExpectedVersion(2n, 1n), {})).toMatchObject({
      streamName: 'client-name',
      expectedRevision: 1n,
      actualRevision: 2n,
    });
    expect(mapError(wrongExpectedVersion(2n, -1n), {})).toMatchObject({ expectedRevision: 'no_stream' });
    expect(mapError(wrongExpectedVersion(2n, -4n), {})).toMatchObject({ expectedRevision: 'stream_exists' });
  });

  it('maps stream deleted and stream not found', () => {
    const deleted = mapError(ClientStreamDeletedError.fromStreamName('order-1'), {});
    expect(deleted).toBeInstanceOf(StreamDeletedError);
    expect(deleted).toMatchObject({ streamName: 'order-1' });

    const notFound = mapError(new ClientStreamNotFoundError(undefined, 'client-name'), { streamName: 'order-2' });
    expect(notFound).toBeInstanceOf(StreamNotFoundError);
    expect(notFound).toMatchObject({ streamName: 'order-2' });
  });

  it('maps the client’s invalid argument error to ours', () => {
    const mapped = mapError(new ClientInvalidArgumentError('fromRevision must be non-negative'), {});
    expect(mapped).toBeInstanceOf(InvalidArgumentError);
    expect((mapped as Error).message).toBe('fromRevision must be non-negative');
  });

  it('returns anything else unchanged so transient errors stay recognisable', () => {
    const unavailable = new UnavailableError();
    const other = new Error('boom');
    expect(mapError(unavailable, { streamName: 'order-1' })).toBe(unavailable);
    expect(mapError(other, {})).toBe(other);
    expect(mapError('not even an error', {})).toBe('not even an error');
  });
});

describe('isTransient', () => {
  it('accepts the errors the client reconnects after', () => {
    expect(isTransient(new UnavailableError())).toBe(true);
    expect(isTransient(new CancelledError())).toBe(true);
    expect(isTransient(new SubscriptionDroppedError())).toBe(true);
  });

  it('accepts NotLeaderError', () => {
    // NotLeaderError's constructor insists on a gRPC ServiceError and reads only
    // `metadata.getMap()` from it, so this object is shaped like one rather than being a
    // real @grpc/grpc-js error (that package is not a dependency of this lib).
    const serviceError = Object.assign(new Error('Leader info available'), {
      code: 5,
      details: 'Leader info available',
      metadata: { getMap: () => ({ 'leader-endpoint-host': 'node-2', 'leader-endpoint-port': '2113' }) },
    }) as unknown as ConstructorParameters<typeof NotLeaderError>[0];
    expect(isTransient(new NotLeaderError(serviceError))).toBe(true);
  });

  it('rejects everything else', () => {
    expect(isTransient(new DeadlineExceededError())).toBe(false);
    expect(isTransient(ClientStreamDeletedError.fromStreamName('order-1'))).toBe(false);
    expect(isTransient(new WrongExpectedVersionError('order-1', 1n, 2n))).toBe(false);
    expect(isTransient(new Error('connection reset'))).toBe(false);
    expect(isTransient(undefined)).toBe(false);
  });
});

describe('toRecordedEvent', () => {
  const created = new Date('2024-05-01T10:00:00.000Z');
  const position = { commit: 1_000n, prepare: 990n };

  function recorded(
    overrides: { streamId?: string; type?: string } = {},
  ): NonNullable<AllStreamResolvedEvent['event']> {
    return {
      streamId: overrides.streamId ?? 'order-1',
      id: '6f1c4b2e-8a58-4a51-9d0e-2f8d1c3b7a10',
      isJson: true,
      revision: 4n,
      type: overrides.type ?? 'OrderPlaced',
      created,
      data: { total: 12 },
      metadata: { tenantId: 't-1' },
      position,
    };
  }

  const resolved = (overrides: { streamId?: string; type?: string } = {}): AllStreamResolvedEvent => ({
    event: recorded(overrides),
    commitPosition: position.commit,
  });

  it('maps every field', () => {
    const event = toRecordedEvent(resolved());
    expect(event).toEqual<RecordedEvent>({
      streamId: 'order-1',
      revision: 4n,
      id: '6f1c4b2e-8a58-4a51-9d0e-2f8d1c3b7a10',
      type: 'OrderPlaced',
      data: { total: 12 },
      metadata: { tenantId: 't-1' },
      position: { commit: 1_000n, prepare: 990n },
      created,
    });
    expect(event?.created).toBeInstanceOf(Date);
  });

  it('copies the position rather than sharing the client’s object', () => {
    expect(toRecordedEvent(resolved())?.position).not.toBe(position);
  });

  it('skips unresolved links', () => {
    const link: ResolvedEvent = { commitPosition: 5n };
    expect(toRecordedEvent(link)).toBeUndefined();
  });

  it('skips system events by type or by stream', () => {
    expect(toRecordedEvent(resolved({ type: '$>' }))).toBeUndefined();
    expect(toRecordedEvent(resolved({ type: '$metadata', streamId: '$$order-1' }))).toBeUndefined();
    expect(toRecordedEvent(resolved({ streamId: '$stats-127.0.0.1:2113' }))).toBeUndefined();
  });

  it('refuses an event without a position (servers before 22.6)', () => {
    const fromOldServer: ResolvedEvent = { event: { ...recorded(), position: undefined } };
    expect(() => toRecordedEvent(fromOldServer)).toThrow(/position/);
  });
});

describe('matchesFilter', () => {
  const event = (streamId: string, type: string) => ({ streamId, type }) as RecordedEvent;

  it('matches everything without a filter', () => {
    expect(matchesFilter(event('order-1', 'OrderPlaced'), undefined)).toBe(true);
    expect(matchesFilter(event('order-1', 'OrderPlaced'), {})).toBe(true);
  });

  it('matches categories exactly, not by prefix', () => {
    const filter = { categories: ['order'] };
    expect(matchesFilter(event('order-1', 'X'), filter)).toBe(true);
    expect(matchesFilter(event('order-a-b', 'X'), filter)).toBe(true);
    expect(matchesFilter(event('orderline-1', 'X'), filter)).toBe(false);
  });

  it('matches event types exactly, not by prefix', () => {
    const filter = { eventTypes: ['OrderPlaced'] };
    expect(matchesFilter(event('order-1', 'OrderPlaced'), filter)).toBe(true);
    expect(matchesFilter(event('order-1', 'OrderPlacedV2'), filter)).toBe(false);
  });

  it('requires both when both are given', () => {
    const filter = { categories: ['order'], eventTypes: ['OrderPlaced'] };
    expect(matchesFilter(event('order-1', 'OrderPlaced'), filter)).toBe(true);
    expect(matchesFilter(event('invoice-1', 'OrderPlaced'), filter)).toBe(false);
    expect(matchesFilter(event('order-1', 'OrderShipped'), filter)).toBe(false);
  });

  it('matches nothing for an empty list', () => {
    expect(matchesFilter(event('order-1', 'OrderPlaced'), { categories: [] })).toBe(false);
  });
});

describe('toServerFilter', () => {
  it('narrows by stream prefix when categories are given, even with event types', () => {
    expect(toServerFilter({ categories: ['order', 'invoice'], eventTypes: ['OrderPlaced'] })).toMatchObject({
      filterOn: 'streamName',
      prefixes: ['order-', 'invoice-'],
    });
  });

  it('narrows by event type prefix when only event types are given', () => {
    expect(toServerFilter({ eventTypes: ['OrderPlaced'] })).toMatchObject({
      filterOn: 'eventType',
      prefixes: ['OrderPlaced'],
    });
  });

  it('excludes system events otherwise', () => {
    expect(toServerFilter(undefined)).toMatchObject({ filterOn: 'eventType', regex: '^[^$].*' });
  });
});
