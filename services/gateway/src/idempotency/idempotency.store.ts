import { migrate } from '@caas/event-store';
import type { Pool } from 'pg';
import { IDEMPOTENCY_SCHEMA, idempotencyMigrations } from './idempotency.migrations';

export interface StoredResponse {
  readonly status: number;
  readonly contentType: string | null;
  readonly body: Buffer;
}

export type ClaimResult =
  /** The key is this request's now: handle it, then complete() or release(). */
  | { readonly outcome: 'claimed' }
  /** Answered before: send this again. */
  | { readonly outcome: 'replay'; readonly response: StoredResponse }
  /** The key was used for a different request. */
  | { readonly outcome: 'mismatch' }
  /** The same request is being handled right now. */
  | { readonly outcome: 'in_flight' };

export interface IdempotencyStoreOptions {
  /** How long a response is kept and replayed. */
  readonly ttlMs: number;
  /** How long an unfinished claim blocks its key before it counts as abandoned. */
  readonly lockMs: number;
}

interface Row {
  fingerprint: string;
  status: number | null;
  content_type: string | null;
  body: Buffer | null;
}

/**
 * Idempotency keys and the responses they answered, in PostgreSQL so that every
 * gateway instance sees the same keys. One row per (scope, key); the row's primary key
 * makes claiming atomic, so of two concurrent requests exactly one runs.
 */
export class PgIdempotencyStore {
  constructor(
    private readonly pool: Pool,
    private readonly options: IdempotencyStoreOptions,
  ) {}

  static migrate(pool: Pool): Promise<void> {
    return migrate(pool, IDEMPOTENCY_SCHEMA, idempotencyMigrations);
  }

  async claim(scope: string, keyDigest: string, fingerprint: string): Promise<ClaimResult> {
    // A concurrent release() can delete the row between the two statements: try again.
    for (let attempt = 0; attempt < 3; attempt++) {
      // Takes the key when it is new, expired (lazily reused), or abandoned by a
      // request for the same thing (the process handling it died).
      const claimed = await this.pool.query(
        `insert into gateway.idempotency_keys as k (scope, key_digest, fingerprint, locked_until, expires_at)
         values ($1, $2, $3, now() + $4 * interval '1 millisecond', now() + $5 * interval '1 millisecond')
         on conflict (scope, key_digest) do update
            set fingerprint = excluded.fingerprint, status = null, content_type = null, body = null,
                locked_until = excluded.locked_until, created_at = now(), expires_at = excluded.expires_at
          where k.expires_at <= now()
             or (k.status is null and k.locked_until <= now() and k.fingerprint = excluded.fingerprint)`,
        [scope, keyDigest, fingerprint, this.options.lockMs, this.options.ttlMs],
      );
      if (claimed.rowCount === 1) return { outcome: 'claimed' };
      const { rows } = await this.pool.query<Row>(
        `select fingerprint, status, content_type, body from gateway.idempotency_keys
          where scope = $1 and key_digest = $2`,
        [scope, keyDigest],
      );
      const row = rows[0];
      if (!row) continue;
      if (row.fingerprint !== fingerprint) return { outcome: 'mismatch' };
      if (row.status === null) return { outcome: 'in_flight' };
      return {
        outcome: 'replay',
        response: { status: row.status, contentType: row.content_type, body: row.body ?? Buffer.alloc(0) },
      };
    }
    // Claimed and released three times over by others in the meantime: let the caller retry.
    return { outcome: 'in_flight' };
  }

  /** Stores the answer for replays. A no-op when the claim was lost (expired and taken over). */
  async complete(scope: string, keyDigest: string, fingerprint: string, response: StoredResponse): Promise<void> {
    await this.pool.query(
      `update gateway.idempotency_keys
          set status = $4, content_type = $5, body = $6, locked_until = null
        where scope = $1 and key_digest = $2 and fingerprint = $3 and status is null`,
      [scope, keyDigest, fingerprint, response.status, response.contentType, response.body],
    );
  }

  /** Gives the key back unanswered (a 5xx): the next request with it runs afresh. */
  async release(scope: string, keyDigest: string, fingerprint: string): Promise<void> {
    await this.pool.query(
      `delete from gateway.idempotency_keys
        where scope = $1 and key_digest = $2 and fingerprint = $3 and status is null`,
      [scope, keyDigest, fingerprint],
    );
  }

  /** Deletes expired answers; returns how many. Expired rows are also reused lazily by claim(). */
  async purgeExpired(): Promise<number> {
    const { rowCount } = await this.pool.query(`delete from gateway.idempotency_keys where expires_at <= now()`);
    return rowCount ?? 0;
  }
}
