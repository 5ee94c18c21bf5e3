import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The billing read model, schema `billing`. Append-only: never edit a released migration, add the next one. */
export class BillingReadModel1763942400000 implements MigrationInterface {
  readonly name = 'BillingReadModel1763942400000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create table billing.hourly_usage (
        tenant_id    text not null,
        hour         timestamptz not null,
        container_ms numeric not null,
        milli_cpu_ms numeric not null,
        memory_mb_ms numeric not null,
        primary key (tenant_id, hour)
      );
    `);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('drop table billing.hourly_usage');
  }
}
