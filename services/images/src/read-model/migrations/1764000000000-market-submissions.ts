import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The image market's submissions (schema `images`). The market's images are `repositories` with tenant_id null. */
export class MarketSubmissions1764000000000 implements MigrationInterface {
  readonly name = 'MarketSubmissions1764000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create table images.market_submissions (
        submission_id        text primary key,
        tenant_id            text not null,
        repository_id        text not null,
        repository           text not null,
        tag                  text not null,
        digest               text not null,
        market_repository    text not null,
        description          text not null,
        usage_guide          text not null,
        status               text not null,
        submitted_by         text not null,
        submitted_at         timestamptz not null,
        decided_by           text,
        decided_at           timestamptz,
        reason               text,
        market_repository_id text
      );
      create index market_submissions_tenant on images.market_submissions (tenant_id);
      create index market_submissions_status on images.market_submissions (status);
    `);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('drop table images.market_submissions;');
  }
}
