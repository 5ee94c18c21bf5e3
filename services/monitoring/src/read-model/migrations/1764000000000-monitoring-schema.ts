import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Schema `monitoring` exists (created by openReadModelDatabase); later migrations add each slice's tables. */
export class MonitoringSchema1764000000000 implements MigrationInterface {
  readonly name = 'MonitoringSchema1764000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('create schema if not exists monitoring');
  }

  async down(): Promise<void> {
    // The schema stays: it may hold other slices' tables.
  }
}
