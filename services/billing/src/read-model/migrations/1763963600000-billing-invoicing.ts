import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Price versions, issued invoices and re-ratings, as their events say (rebuilt from them). */
export class BillingInvoicing1763963600000 implements MigrationInterface {
  readonly name = 'BillingInvoicing1763963600000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create table billing.price_versions (
        plan_id        text not null,
        version        integer not null,
        effective_from timestamptz not null,
        prices         jsonb not null,
        defined_at     timestamptz not null,
        primary key (plan_id, version)
      );
      create table billing.invoices (
        tenant_id  text not null,
        period     text not null,
        invoice_id uuid not null unique,
        currency   text not null,
        total      numeric not null,
        lines      jsonb not null,
        issued_at  timestamptz not null,
        primary key (tenant_id, period)
      );
      create index invoices_period on billing.invoices (period);
      create table billing.reratings (
        rerating_id uuid primary key,
        period      text not null,
        rerated_at  timestamptz not null,
        invoices    jsonb not null
      );
      create index reratings_period on billing.reratings (period);
    `);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('drop table billing.reratings; drop table billing.invoices; drop table billing.price_versions;');
  }
}
