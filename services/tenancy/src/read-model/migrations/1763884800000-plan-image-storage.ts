import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Plans gain a quota on image storage (PlanQuotas.maxImageStorageMb); 0 until a plan is redefined. */
export class PlanImageStorage1763884800000 implements MigrationInterface {
  readonly name = 'PlanImageStorage1763884800000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('alter table tenancy.plans add column max_image_storage_mb int not null default 0');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('alter table tenancy.plans drop column max_image_storage_mb');
  }
}
