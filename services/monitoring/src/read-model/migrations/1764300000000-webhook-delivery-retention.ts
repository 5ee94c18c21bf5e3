import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Lets the retention purge find old finished deliveries without reading the pending ones. */
export class WebhookDeliveryRetention1764300000000 implements MigrationInterface {
  readonly name = 'WebhookDeliveryRetention1764300000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `create index webhook_deliveries_finished on monitoring.webhook_deliveries (finished_at) where status <> 'pending'`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('drop index monitoring.webhook_deliveries_finished');
  }
}
