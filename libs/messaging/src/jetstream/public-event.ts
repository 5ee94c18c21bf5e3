import type { Actor, PublicEvent } from '@caas/contracts';
import type { IntegrationEvent } from './integration-event';
import { parseEventSubject } from './subjects';

/** The public shape of a CAAS_EVENTS message, from its body, subject and stream sequence. */
export function toPublicEvent(event: IntegrationEvent, delivery: { sequence: number; subject: string }): PublicEvent {
  const metadata = (event.metadata ?? {}) as Record<string, unknown>;
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);
  return {
    id: event.id,
    sequence: delivery.sequence,
    type: event.type,
    context: parseEventSubject(delivery.subject)?.context ?? 'unknown',
    schemaVersion: Number.isInteger(metadata.schemaVersion) ? (metadata.schemaVersion as number) : 1,
    tenantId: text(metadata.tenantId),
    stream: event.streamId,
    revision: event.revision,
    created: event.created,
    actor: actorOf(metadata.actor),
    command: text(metadata.command),
    correlationId: text(metadata.correlationId),
    causationId: text(metadata.causationId),
    data: event.data,
  };
}

function actorOf(value: unknown): Actor | null {
  const actor = value as Partial<Actor> | null | undefined;
  if (typeof actor !== 'object' || actor === null) return null;
  if (typeof actor.type !== 'string' || typeof actor.id !== 'string') return null;
  return { type: actor.type, id: actor.id };
}
