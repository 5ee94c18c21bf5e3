import { randomUUID } from 'node:crypto';
import { type IntegrationEvent, encodeIntegrationEvent, eventSubject, integrationEventHeaders } from '@caas/messaging';
import type { NatsConnection } from 'nats';

export interface PublishedFact {
  /** The event id (default: a new one). */
  readonly id?: string;
  /** The message id (default: the event id). Another one is a re-publication JetStream does not drop. */
  readonly msgID?: string;
  /** When the owning service recorded it (default: now). */
  readonly created?: string;
}

/**
 * Publishes a fact of `context` on CAAS_EVENTS the way that context's relay does: subject
 * `caas.events.<context>.<type>`, Nats-Msg-Id the event id, an IntegrationEvent body with
 * the Caas-* headers. Answers the event id.
 */
export async function publishFact(
  nc: NatsConnection,
  context: string,
  fact: { readonly type: string; readonly data: object },
  { id = randomUUID(), msgID = id, created = new Date().toISOString() }: PublishedFact = {},
): Promise<string> {
  const tenantId = (fact.data as { tenantId?: string | null }).tenantId ?? null;
  const event: IntegrationEvent = {
    id,
    type: fact.type,
    streamId: `${context}-${randomUUID()}`,
    revision: '0',
    position: '0',
    data: fact.data,
    metadata: { tenantId, correlationId: id, causationId: id, schemaVersion: 1 },
    created,
  };
  await nc.jetstream().publish(eventSubject(context, fact.type), encodeIntegrationEvent(event), {
    msgID,
    headers: integrationEventHeaders(event),
  });
  return id;
}
