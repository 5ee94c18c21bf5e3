import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The services read model, schema `scheduling`. Append-only: never edit a released
 * migration, add the next one. `revisions` keeps each template revision's image and
 * resources (never its env), so a rollback can show the restored revision's.
 */
export class SchedulingServices1763900001000 implements MigrationInterface {
  readonly name = 'SchedulingServices1763900001000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create table scheduling.services (
        service_id       text primary key,
        tenant_id        text not null,
        environment_id   text not null,
        name             text not null,
        status           text not null,
        revision         int not null,
        revisions        jsonb not null default '{}',
        replicas         int not null,
        strategy         text not null,
        max_unavailable  int not null,
        max_surge        int not null,
        rollout_status   text not null,
        rollout_revision int not null,
        created_at       timestamptz not null,
        stream_revision  bigint not null
      );
      create index services_tenant_environment on scheduling.services (tenant_id, environment_id);
    `);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('drop table scheduling.services');
  }
}
