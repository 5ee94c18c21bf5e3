import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The webhooks slice: `webhooks` and `webhook_redeliveries` (the read model of stream
 * category `webhook`, with its checkpoint), `webhook_deliveries` and
 * `webhook_delivery_attempts` (the delivery queue and its log, written by the JetStream
 * enqueuer, the redelivery worker and the dispatcher).
 */
export class Webhooks1764200000000 implements MigrationInterface {
  readonly name = 'Webhooks1764200000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create table monitoring.webhooks (
        webhook_id text primary key,
        tenant_id text not null,
        url text not null,
        event_types jsonb not null,
        description text not null,
        enabled boolean not null,
        removed boolean not null default false,
        created_at timestamptz not null,
        updated_at timestamptz not null,
        secret_rotated_at timestamptz,
        revision bigint not null
      )`);
    await runner.query(`create index webhooks_tenant on monitoring.webhooks (tenant_id) where not removed`);
    await runner.query(`
      create table monitoring.webhook_redeliveries (
        redelivery_id text primary key,
        webhook_id text not null,
        tenant_id text not null,
        from_sequence bigint not null,
        to_sequence bigint not null,
        requested_at timestamptz not null,
        status text not null default 'pending',
        leased_until timestamptz,
        queued integer not null default 0
      )`);
    await runner.query(
      `create index webhook_redeliveries_pending on monitoring.webhook_redeliveries (requested_at) where status = 'pending'`,
    );
    await runner.query(`
      create table monitoring.webhook_deliveries (
        delivery_id text primary key,
        webhook_id text not null,
        tenant_id text not null,
        event_id text not null,
        event_type text not null,
        sequence bigint not null,
        redelivery_id text,
        body text not null,
        status text not null default 'pending',
        attempts integer not null default 0,
        next_attempt_at timestamptz not null default now(),
        leased_until timestamptz,
        created_at timestamptz not null default clock_timestamp(),
        finished_at timestamptz
      )`);
    await runner.query(
      `create index webhook_deliveries_due on monitoring.webhook_deliveries (webhook_id, next_attempt_at) where status = 'pending'`,
    );
    await runner.query(
      `create index webhook_deliveries_log on monitoring.webhook_deliveries (webhook_id, created_at desc, sequence desc)`,
    );
    await runner.query(`
      create table monitoring.webhook_delivery_attempts (
        delivery_id text not null references monitoring.webhook_deliveries (delivery_id) on delete cascade,
        attempt integer not null,
        at timestamptz not null,
        status_code integer,
        error text,
        duration_ms integer not null,
        primary key (delivery_id, attempt)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('drop table monitoring.webhook_delivery_attempts');
    await runner.query('drop table monitoring.webhook_deliveries');
    await runner.query('drop table monitoring.webhook_redeliveries');
    await runner.query('drop table monitoring.webhooks');
  }
}
