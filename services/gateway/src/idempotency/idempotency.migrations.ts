import type { Migration } from '@caas/event-store';

export const IDEMPOTENCY_SCHEMA = 'gateway';

/** Append-only: never edit a released migration, add the next one. */
export const idempotencyMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'idempotency-keys',
    sql: /* sql */ `
      create table gateway.idempotency_keys (
        -- whose key it is (principal and tenant), see idempotencyScope()
        scope         text not null,
        -- HMAC of the caller's key: the key also encrypts the body, so it is not stored
        key_digest    text not null,
        -- HMAC of method, path and canonical body
        fingerprint   text not null,
        -- null while the first request is still being handled
        status        int,
        content_type  text,
        -- AES-GCM sealed response body
        body          bytea,
        -- an unfinished claim older than this was abandoned (its process died)
        locked_until  timestamptz,
        created_at    timestamptz not null default now(),
        expires_at    timestamptz not null,
        primary key (scope, key_digest)
      );
      create index idempotency_keys_expires_at on gateway.idempotency_keys (expires_at);
    `,
  },
];
