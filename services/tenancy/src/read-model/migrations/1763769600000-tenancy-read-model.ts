import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The tenancy read model, schema `tenancy`. Append-only: never edit a released
 * migration, add the next one. Ids are text, not uuid, so an odd id in a header is
 * simply not found instead of a SQL error.
 */
export class TenancyReadModel1763769600000 implements MigrationInterface {
  readonly name = 'TenancyReadModel1763769600000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create table tenancy.plans (
        plan_id               text primary key,
        name                  text not null,
        max_containers        int not null,
        max_vcpu              int not null,
        max_memory_mb         int not null,
        max_volume_gb         int not null,
        max_concurrent_builds int not null,
        defined_at            timestamptz not null
      );
      create table tenancy.users (
        user_id        text primary key,
        email          text not null,
        name           text not null,
        platform_roles text[] not null default '{}',
        signed_up_at   timestamptz not null
      );
      create index users_email on tenancy.users (email);
      create table tenancy.tenants (
        tenant_id  text primary key,
        name       text not null,
        status     text not null,
        created_at timestamptz not null
      );
      create table tenancy.tenant_plan_changes (
        tenant_id    text not null,
        revision     bigint not null,
        plan_id      text not null,
        effective_at timestamptz not null,
        primary key (tenant_id, revision)
      );
      create table tenancy.members (
        tenant_id text not null,
        user_id   text not null,
        role      text not null,
        joined_at timestamptz not null,
        primary key (tenant_id, user_id)
      );
      create index members_user on tenancy.members (user_id);
      create table tenancy.invitations (
        invitation_id text primary key,
        tenant_id     text not null,
        email         text not null,
        role          text not null,
        status        text not null,
        invited_at    timestamptz not null
      );
      create index invitations_tenant on tenancy.invitations (tenant_id);
      create table tenancy.environments (
        environment_id text primary key,
        tenant_id      text not null,
        name           text not null,
        created_at     timestamptz not null
      );
      create index environments_tenant on tenancy.environments (tenant_id);
      create table tenancy.api_keys (
        key_id     text primary key,
        tenant_id  text not null,
        name       text not null,
        role       text not null,
        prefix     text not null,
        status     text not null,
        created_at timestamptz not null
      );
      create index api_keys_tenant on tenancy.api_keys (tenant_id);
      create table tenancy.api_key_secrets (
        secret_hash text primary key,
        key_id      text not null
      );
    `);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`
      drop table tenancy.api_key_secrets, tenancy.api_keys, tenancy.environments, tenancy.invitations,
                 tenancy.members, tenancy.tenant_plan_changes, tenancy.tenants, tenancy.users, tenancy.plans`);
  }
}
