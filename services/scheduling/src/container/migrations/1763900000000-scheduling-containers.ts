import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The containers read model, schema `scheduling`. Append-only: never edit a released
 * migration, add the next one. Resources are columns (not jsonb) because quotas and
 * host allocations sum them.
 */
export class SchedulingContainers1763900000000 implements MigrationInterface {
  readonly name = 'SchedulingContainers1763900000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create table scheduling.containers (
        container_id           text primary key,
        tenant_id              text not null,
        environment_id         text not null,
        service_id             text,
        replica                int,
        host_id                text,
        image                  text not null,
        status                 text not null,
        desired                text not null,
        exit_code              int,
        ports                  jsonb not null default '[]',
        cpus                   double precision not null,
        memory_mb              int not null,
        pids_limit             int not null,
        restart_policy         text not null default 'no',
        labels                 jsonb not null default '{}',
        placement_reason       text,
        last_placement_failure text,
        created_at             timestamptz not null,
        started_at             timestamptz,
        stream_revision        bigint not null
      );
      create index containers_tenant_environment on scheduling.containers (tenant_id, environment_id);
      create index containers_service_status on scheduling.containers (service_id, status);
      create index containers_host on scheduling.containers (host_id);
    `);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('drop table scheduling.containers');
  }
}
