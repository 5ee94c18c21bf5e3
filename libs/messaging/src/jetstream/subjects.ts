/**
 * Subject scheme for integration events (one JetStream stream for the whole platform):
 *
 *   caas.events.<context>.<EventType>   stream CAAS_EVENTS, e.g. `caas.events.tenancy.TenantCreated`
 *   caas.dlq.<durable>                  stream CAAS_DLQ, messages a consumer gave up on
 *
 * `<context>` is the service that owns the event (the only one that publishes under it,
 * through its `EventRelay`); `<EventType>` is the event's type exactly as stored. So a
 * consumer can subscribe to one event (`caas.events.tenancy.TenantCreated`), to a whole
 * context (`caas.events.tenancy.>`) or to a type from any context
 * (`caas.events.*.TenantCreated`). Every message's Nats-Msg-Id is its event id, which is
 * what lets JetStream drop re-publications after a relay crash.
 */

export const EVENTS_STREAM = 'CAAS_EVENTS';
export const EVENTS_SUBJECT_PREFIX = 'caas.events';
export const EVENTS_SUBJECTS = `${EVENTS_SUBJECT_PREFIX}.>`;

export const DLQ_STREAM = 'CAAS_DLQ';
export const DLQ_SUBJECT_PREFIX = 'caas.dlq';
export const DLQ_SUBJECTS = `${DLQ_SUBJECT_PREFIX}.>`;

/** A subject token: no separators, wildcards or whitespace, which would change the subject's shape. */
const TOKEN = /^[^.*>\s]+$/;

export class InvalidSubjectTokenError extends Error {
  constructor(what: string, value: string) {
    super(`${what} '${value}' cannot be a NATS subject token (no '.', '*', '>' or whitespace, not empty)`);
    this.name = 'InvalidSubjectTokenError';
  }
}

export function assertSubjectToken(what: string, value: string): void {
  if (!TOKEN.test(value)) throw new InvalidSubjectTokenError(what, value);
}

/** `caas.events.<context>.<eventType>` */
export function eventSubject(context: string, eventType: string): string {
  assertSubjectToken('Context', context);
  assertSubjectToken('Event type', eventType);
  return `${EVENTS_SUBJECT_PREFIX}.${context}.${eventType}`;
}

/** `caas.events.<context>.>`: every event one service publishes. */
export function contextSubjects(context: string): string {
  assertSubjectToken('Context', context);
  return `${EVENTS_SUBJECT_PREFIX}.${context}.>`;
}

/** `caas.dlq.<durable>` */
export function deadLetterSubject(durable: string): string {
  assertSubjectToken('Durable name', durable);
  return `${DLQ_SUBJECT_PREFIX}.${durable}`;
}

/** The context and event type of a `caas.events.<context>.<EventType>` subject, if it is one. */
export function parseEventSubject(subject: string): { context: string; eventType: string } | undefined {
  const tokens = subject.split('.');
  if (tokens.length !== 4 || `${tokens[0]}.${tokens[1]}` !== EVENTS_SUBJECT_PREFIX) return undefined;
  return { context: tokens[2], eventType: tokens[3] };
}

/** True when `filter` (which may hold wildcards) only selects subjects inside CAAS_EVENTS. */
export function isEventsFilter(filter: string): boolean {
  const tokens = filter.split('.');
  if (tokens.length < 3 || `${tokens[0]}.${tokens[1]}` !== EVENTS_SUBJECT_PREFIX) return false;
  return tokens
    .slice(2)
    .every((token, i, rest) => token === '*' || (token === '>' ? i === rest.length - 1 : TOKEN.test(token)));
}
