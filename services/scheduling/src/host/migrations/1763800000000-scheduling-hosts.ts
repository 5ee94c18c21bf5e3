import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The hosts read model, schema `scheduling`. Append-only: never edit a released
 * migration, add the next one. Ids are text, not uuid, so an odd id is simply not found.
 */
export class SchedulingHosts1763800000000 implements MigrationInterface {
  readonly name = 'SchedulingHosts1763800000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create table scheduling.hosts (
        host_id             text primary key,
        endpoint            text not null,
        environment_id      text not null,
        labels              jsonb not null default '{}',
        dedicated_tenant_id text,
        status              text not null,
        drained             boolean not null default false,
        capacity_cpus       double precision not null,
        capacity_memory_mb  int not null,
        last_seen_at        timestamptz,
        registered_at       timestamptz not null,
        revision            bigint not null
      );
      create index hosts_environment on scheduling.hosts (environment_id);
    `);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('drop table scheduling.hosts');
  }
}
