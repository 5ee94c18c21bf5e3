import { randomUUID } from 'node:crypto';
import { type IntegrationEvent, encodeIntegrationEvent, eventSubject, integrationEventHeaders } from '@caas/messaging';
import type { NatsConnection } from 'nats';

/**
 * Publishes an event of `context` on CAAS_EVENTS as that context's relay does (subject
 * `caas.events.<context>.<type>`, Nats-Msg-Id the event id), with `tenantId` in its
 * metadata. Answers the event id and its stream sequence.
 */
export async function publishEvent(
  nc: NatsConnection,
  context: string,
  type: string,
  tenantId: string | null,
  data: object = {},
): Promise<{ id: string; sequence: number }> {
  const id = randomUUID();
  const event: IntegrationEvent = {
    id,
    type,
    streamId: `${context}thing-${randomUUID()}`,
    revision: '0',
    position: '0',
    data: { tenantId, ...data },
    metadata: { tenantId, correlationId: id, causationId: id, schemaVersion: 1, actor: { type: 'system', id: 'test' } },
    created: new Date().toISOString(),
  };
  const ack = await nc.jetstream().publish(eventSubject(context, type), encodeIntegrationEvent(event), {
    msgID: id,
    headers: integrationEventHeaders(event),
  });
  return { id, sequence: ack.seq };
}
