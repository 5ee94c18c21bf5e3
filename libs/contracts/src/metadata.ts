/** Who caused a change: a signed-in user, a machine holding an API key, or the platform itself. */
export interface Actor {
  readonly type: 'user' | 'api-key' | 'system';
  readonly id: string;
}

/**
 * Carried by every event (in the store's event metadata) and every command (in NATS
 * headers): the audit trail and the thread that ties a request to everything it caused.
 */
export interface EventMetadata {
  /** The tenant the change belongs to; null for platform-level changes (a user signing up). */
  readonly tenantId: string | null;
  readonly actor: Actor;
  /** The id of the originating request; shared by every event it caused, however indirectly. */
  readonly correlationId: string;
  /** The id of the command or event that directly caused this one. */
  readonly causationId: string;
  /** Version of the event's data schema (see the contract's type). */
  readonly schemaVersion: number;
  /** The command that recorded the event (its `kind`, e.g. `CreateEnvironment`), for the audit log. */
  readonly command?: string;
}

export const SYSTEM_ACTOR: Actor = Object.freeze({ type: 'system', id: 'platform' });
