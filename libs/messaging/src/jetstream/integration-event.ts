import type { Actor, EventMetadata } from '@caas/contracts';
import { type RecordedEvent, serializePosition } from '@caas/event-store';
import { headers as createHeaders, type MsgHdrs } from 'nats';

/**
 * The body of every message on CAAS_EVENTS: a stored event as the owning service
 * recorded it. Field names follow the event store's `RecordedEvent`; bigints and dates
 * become strings because JSON has neither.
 */
export interface IntegrationEvent<Type extends string = string, Data = unknown, Metadata = unknown> {
  /** The event id: also the message's Nats-Msg-Id and the consumer's idempotency key. */
  readonly id: string;
  readonly type: Type;
  readonly streamId: string;
  /** Revision in its stream (a bigint in decimal). */
  readonly revision: string;
  /** `serializePosition` of its place in the owning service's $all; only comparable within that service. */
  readonly position: string;
  readonly data: Data;
  /** As appended (normally `EventMetadata`); null when the event had none. */
  readonly metadata: Metadata | null;
  /** ISO-8601 time the store recorded the event. */
  readonly created: string;
}

/** Message headers: the metadata a router or a log line needs without parsing the body. */
export const CAAS_HEADERS = {
  tenantId: 'Caas-Tenant-Id',
  correlationId: 'Caas-Correlation-Id',
  causationId: 'Caas-Causation-Id',
  actor: 'Caas-Actor',
  eventType: 'Caas-Event-Type',
  stream: 'Caas-Stream',
  revision: 'Caas-Revision',
  schemaVersion: 'Caas-Schema-Version',
  /** Dead letters only: why the consumer gave up. */
  error: 'Caas-Error',
  /** Dead letters only: the subject the message was consumed from. */
  originalSubject: 'Caas-Original-Subject',
  /** Dead letters only: the message's sequence in CAAS_EVENTS. */
  originalSequence: 'Caas-Original-Sequence',
  /** Dead letters only: the consumer's delivery count when it gave up. */
  deliveryCount: 'Caas-Delivery-Count',
} as const;

export class InvalidIntegrationEventError extends Error {
  constructor(reason: string) {
    super(`Not an integration event: ${reason}`);
    this.name = 'InvalidIntegrationEventError';
  }
}

export function toIntegrationEvent(event: RecordedEvent): IntegrationEvent {
  return {
    id: event.id,
    type: event.type,
    streamId: event.streamId,
    revision: event.revision.toString(),
    position: serializePosition(event.position),
    data: event.data,
    metadata: event.metadata ?? null,
    created: event.created.toISOString(),
  };
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodeIntegrationEvent(event: IntegrationEvent): Uint8Array {
  return encoder.encode(JSON.stringify(event));
}

/** Parses and checks the envelope (not `data`, whose schema belongs to the event's contract). */
export function decodeIntegrationEvent(bytes: Uint8Array): IntegrationEvent {
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(bytes));
  } catch (error) {
    throw new InvalidIntegrationEventError(`body is not JSON (${(error as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidIntegrationEventError('body is not a JSON object');
  }
  const body = value as Record<string, unknown>;
  for (const field of ['id', 'type', 'streamId', 'revision', 'position', 'created'] as const) {
    if (typeof body[field] !== 'string' || body[field] === '') {
      throw new InvalidIntegrationEventError(`'${field}' must be a non-empty string`);
    }
  }
  if (!/^\d+$/.test(body.revision as string)) throw new InvalidIntegrationEventError("'revision' must be decimal");
  if (!('data' in body)) throw new InvalidIntegrationEventError("'data' is missing");
  return {
    id: body.id as string,
    type: body.type as string,
    streamId: body.streamId as string,
    revision: body.revision as string,
    position: body.position as string,
    data: body.data,
    metadata: body.metadata ?? null,
    created: body.created as string,
  };
}

/** Headers for an event's message. Metadata fields that are absent or malformed are left out, never invented. */
export function integrationEventHeaders(event: IntegrationEvent): MsgHdrs {
  const headers = createHeaders();
  const set = (name: string, value: string | undefined) => {
    if (value !== undefined && value !== '') headers.set(name, headerValue(value));
  };
  const metadata = readMetadata(event.metadata);
  set(CAAS_HEADERS.tenantId, metadata.tenantId ?? undefined);
  set(CAAS_HEADERS.correlationId, metadata.correlationId);
  set(CAAS_HEADERS.causationId, metadata.causationId);
  set(CAAS_HEADERS.actor, metadata.actor && `${metadata.actor.type}:${metadata.actor.id}`);
  set(CAAS_HEADERS.eventType, event.type);
  set(CAAS_HEADERS.stream, event.streamId);
  set(CAAS_HEADERS.revision, event.revision);
  set(CAAS_HEADERS.schemaVersion, metadata.schemaVersion?.toString());
  return headers;
}

/** NATS rejects CR/LF in header values; the body keeps the exact value. */
export function headerValue(value: string, maxLength = 4_096): string {
  const flat = value.replace(/[\r\n]+/g, ' ');
  return flat.length > maxLength ? `${flat.slice(0, maxLength - 1)}…` : flat;
}

/** Stored metadata is whatever the appender wrote: take the `EventMetadata` fields that have the right shape. */
function readMetadata(metadata: unknown): Partial<EventMetadata> {
  if (typeof metadata !== 'object' || metadata === null) return {};
  const m = metadata as Record<string, unknown>;
  const string = (value: unknown) => (typeof value === 'string' ? value : undefined);
  const actor = m.actor as Partial<Actor> | undefined;
  return {
    tenantId: string(m.tenantId),
    correlationId: string(m.correlationId),
    causationId: string(m.causationId),
    actor:
      typeof actor === 'object' && actor !== null && typeof actor.type === 'string' && typeof actor.id === 'string'
        ? { type: actor.type, id: actor.id }
        : undefined,
    schemaVersion: Number.isInteger(m.schemaVersion) ? (m.schemaVersion as number) : undefined,
  };
}
