import type { RecordedEvent } from '@caas/event-store';
import {
  CAAS_HEADERS,
  decodeIntegrationEvent,
  encodeIntegrationEvent,
  integrationEventHeaders,
  toIntegrationEvent,
} from './integration-event';

const recorded: RecordedEvent = {
  streamId: 'tenant-42',
  revision: 12345678901234567n,
  id: '7d6f1c1e-8c43-4a4c-9a55-2f0c1f6f0a10',
  type: 'TenantCreated',
  data: { name: 'Acme', plan: { tier: 'pro' } },
  metadata: {
    tenantId: '42',
    actor: { type: 'user', id: 'u-1' },
    correlationId: 'c-1',
    causationId: 'k-1',
    schemaVersion: 3,
  },
  position: { commit: 900n, prepare: 17n },
  created: new Date('2026-01-02T03:04:05.678Z'),
};

describe('IntegrationEvent', () => {
  it('carries a recorded event with bigints and dates as strings, and round-trips', () => {
    const event = toIntegrationEvent(recorded);
    expect(event).toEqual({
      id: recorded.id,
      type: 'TenantCreated',
      streamId: 'tenant-42',
      revision: '12345678901234567',
      position: '900/17',
      data: { name: 'Acme', plan: { tier: 'pro' } },
      metadata: recorded.metadata,
      created: '2026-01-02T03:04:05.678Z',
    });
    expect(decodeIntegrationEvent(encodeIntegrationEvent(event))).toEqual(event);
    expect(toIntegrationEvent({ ...recorded, metadata: undefined }).metadata).toBeNull();
  });

  it('puts the metadata in headers, leaving out what is missing or malformed', () => {
    const headers = integrationEventHeaders(toIntegrationEvent(recorded));
    expect(Object.fromEntries([...headers].map(([key, values]) => [key, values.join()]))).toEqual({
      [CAAS_HEADERS.tenantId]: '42',
      [CAAS_HEADERS.actor]: 'user:u-1',
      [CAAS_HEADERS.correlationId]: 'c-1',
      [CAAS_HEADERS.causationId]: 'k-1',
      [CAAS_HEADERS.eventType]: 'TenantCreated',
      [CAAS_HEADERS.stream]: 'tenant-42',
      [CAAS_HEADERS.revision]: '12345678901234567',
      [CAAS_HEADERS.schemaVersion]: '3',
    });
    const bare = integrationEventHeaders(
      toIntegrationEvent({ ...recorded, metadata: { tenantId: null, actor: 'someone', correlationId: 'a\r\nb' } }),
    );
    expect(bare.keys().sort()).toEqual(
      [CAAS_HEADERS.correlationId, CAAS_HEADERS.eventType, CAAS_HEADERS.stream, CAAS_HEADERS.revision].sort(),
    );
    expect(bare.get(CAAS_HEADERS.correlationId)).toBe('a b');
  });

  it.each([
    ['not json', /not JSON/],
    ['[]', /not a JSON object/],
    ['{"id":"x","type":"T","streamId":"s","revision":"1","position":"1/1","created":"now"}', /'data' is missing/],
    ['{"id":"x","type":"T","streamId":"s","revision":"-1","position":"1/1","created":"now","data":1}', /decimal/],
    ['{"id":"","type":"T","streamId":"s","revision":"1","position":"1/1","created":"now","data":1}', /'id'/],
  ])('refuses %s', (body, message) => {
    expect(() => decodeIntegrationEvent(new TextEncoder().encode(body))).toThrow(message);
  });
});
