import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each closed hour's plan and storage (volumes and images, byte-milliseconds), and
 * when a deleted tenant's meter stops closing hours.
 */
export class BillingPlansStorage1763960000000 implements MigrationInterface {
  readonly name = 'BillingPlansStorage1763960000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      alter table billing.hourly_usage
        add column plan_id        text not null default 'free',
        add column volume_byte_ms numeric not null default 0,
        add column image_byte_ms  numeric not null default 0;
      alter table billing.meters add column ends_at timestamptz;
    `);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`
      alter table billing.meters drop column ends_at;
      alter table billing.hourly_usage drop column plan_id, drop column volume_byte_ms, drop column image_byte_ms;
    `);
  }
}
