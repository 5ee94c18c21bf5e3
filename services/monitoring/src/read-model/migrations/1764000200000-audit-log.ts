import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit log: one row per public event, keyed by its CAAS_EVENTS sequence (the one
 * order across every context, and the keyset of its pages). Append-only: never edit a
 * released migration, add the next one.
 */
export class AuditLog1764000200000 implements MigrationInterface {
  readonly name = 'AuditLog1764000200000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create table monitoring.audit_log (
        sequence       bigint primary key,
        event_id       text not null unique,
        tenant_id      text,
        type           text not null,
        context        text not null,
        stream         text not null,
        revision       text not null,
        created        timestamptz not null,
        schema_version integer not null,
        actor_type     text,
        actor_id       text,
        command        text,
        correlation_id text,
        causation_id   text,
        data           jsonb not null
      );
    `);
    // Every tenant's page is read newest first; each filter narrows within a tenant.
    await runner.query('create index audit_log_tenant on monitoring.audit_log (tenant_id, sequence desc)');
    for (const column of ['actor_id', 'type', 'command', 'stream', 'correlation_id', 'created']) {
      await runner.query(
        `create index audit_log_tenant_${column} on monitoring.audit_log (tenant_id, ${column}, sequence desc)`,
      );
    }
    // A platform admin's correlation id or stream look-up spans tenants.
    await runner.query('create index audit_log_correlation on monitoring.audit_log (correlation_id, sequence desc)');
    await runner.query('create index audit_log_stream on monitoring.audit_log (stream, sequence desc)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('drop table monitoring.audit_log');
  }
}
