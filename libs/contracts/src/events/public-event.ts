import type { Actor } from '../metadata';

/**
 * One integration event as tenants and other services see it: the flat shape of the
 * live feed (`GET /v1/events/stream`), webhook bodies, the audit log and a dashboard's
 * recent events. Built from a CAAS_EVENTS message by `toPublicEvent` (@caas/messaging).
 */
export interface PublicEvent<Data = unknown> {
  /** The event id: unique, and the same in every feed (deduplicate on it). */
  readonly id: string;
  /** Its sequence in CAAS_EVENTS: the one order across every context, and the feed's resume position. */
  readonly sequence: number;
  readonly type: string;
  /** The owning service: `tenancy`, `scheduling`, `images`, `billing`, `monitoring`. */
  readonly context: string;
  readonly schemaVersion: number;
  /** Null for platform-level changes (a user signing up, a shared host). */
  readonly tenantId: string | null;
  /** `<category>-<id>` */
  readonly stream: string;
  /** Revision in its stream, as a decimal string. */
  readonly revision: string;
  /** ISO-8601 time the owning service recorded it. */
  readonly created: string;
  readonly actor: Actor | null;
  /** The command that recorded it (`CreateEnvironment`), null when not known. */
  readonly command: string | null;
  readonly correlationId: string | null;
  readonly causationId: string | null;
  readonly data: Data;
}
