import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The images read model, schema `images`. Append-only: never edit a released migration, add the next one. */
export class ImagesReadModel1763798400000 implements MigrationInterface {
  readonly name = 'ImagesReadModel1763798400000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create table images.repositories (
        repository_id text primary key,
        tenant_id     text,
        repository    text not null unique,
        visibility    text not null,
        description   text not null,
        usage_guide   text not null,
        created_at    timestamptz not null,
        updated_at    timestamptz not null
      );
      create index repositories_tenant on images.repositories (tenant_id);
      create table images.tags (
        repository_id text not null,
        tag           text not null,
        digest        text not null,
        media_type    text not null,
        size          bigint not null,
        pushed_at     timestamptz not null,
        pushed_by     text not null,
        primary key (repository_id, tag)
      );
    `);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('drop table images.tags; drop table images.repositories;');
  }
}
