import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Each tenant's meter (the next hour to close) and the containers it meters as running. */
export class BillingMeters1763946000000 implements MigrationInterface {
  readonly name = 'BillingMeters1763946000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create table billing.meters (
        tenant_id      text primary key,
        closed_through timestamptz not null
      );
      create table billing.running_containers (
        tenant_id    text not null,
        container_id text not null,
        host_id      text not null,
        primary key (tenant_id, container_id)
      );
      create index running_containers_host on billing.running_containers (host_id);
    `);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('drop table billing.running_containers; drop table billing.meters;');
  }
}
