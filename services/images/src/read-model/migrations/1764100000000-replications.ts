import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Replications: the tenant's view of them, and the replication reactor's own tables
 * (which replication follows which repository, the copies still to make). Never a
 * credential: those live in the event store's private `replicationcredentials` streams.
 */
export class Replications1764100000000 implements MigrationInterface {
  readonly name = 'Replications1764100000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create table images.replications (
        replication_id     text primary key,
        tenant_id          text not null,
        repository_id      text not null,
        target_url         text not null,
        target_repository  text not null,
        created_at         timestamptz not null,
        last_tag           text,
        last_digest        text,
        last_replicated_at timestamptz,
        error_tag          text,
        error_reason       text,
        error_at           timestamptz,
        error_retry_at     timestamptz
      );
      create index replications_repository on images.replications (repository_id);
      create table images.replication_targets (
        replication_id  text primary key,
        repository_id   text not null,
        source_registry text not null
      );
      create index replication_targets_repository on images.replication_targets (repository_id);
      create table images.replication_work (
        replication_id  text not null,
        tag             text not null,
        digest          text not null,
        source_registry text not null,
        attempts        integer not null,
        next_attempt_at timestamptz not null,
        leased_until    timestamptz,
        primary key (replication_id, tag)
      );
      create index replication_work_due on images.replication_work (source_registry, next_attempt_at);
    `);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(
      'drop table images.replication_work; drop table images.replication_targets; drop table images.replications;',
    );
  }
}
