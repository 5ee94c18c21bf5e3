import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The dashboards' read model (durable `monitoring-dashboard`). Every row keeps, per group
 * of columns one kind of event sets, the stream revision that last set them: an event at
 * or below it is ignored, so redelivered or reordered events end as the stream's order
 * says. Append-only: never edit a released migration, add the next one.
 */
export class MonitoringDashboard1764000500000 implements MigrationInterface {
  readonly name = 'MonitoringDashboard1764000500000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create table monitoring.dashboard_containers (
        container_id     text primary key,
        tenant_id        text not null,
        service_id       text,
        host_id          text,
        cpus             double precision not null,
        memory_mb        integer not null,
        fact_revision    bigint not null,
        status           text not null,
        status_revision  bigint not null,
        desired          text not null,
        desired_revision bigint not null
      );
      create index dashboard_containers_tenant on monitoring.dashboard_containers (tenant_id, status);
      create index dashboard_containers_host on monitoring.dashboard_containers (host_id);
      create index dashboard_containers_service on monitoring.dashboard_containers (service_id);

      create table monitoring.dashboard_services (
        service_id         text primary key,
        tenant_id          text not null,
        owner_revision     bigint not null,
        name               text,
        name_revision      bigint not null,
        replicas           integer not null,
        replicas_revision  bigint not null,
        cpus               double precision not null,
        memory_mb          integer not null,
        resources_revision bigint not null,
        rollout_status     text not null,
        rollout_revision   bigint not null,
        status             text not null,
        status_revision    bigint not null
      );
      create index dashboard_services_tenant on monitoring.dashboard_services (tenant_id, status);

      create table monitoring.dashboard_hosts (
        host_id               text primary key,
        environment_id        text,
        registration_revision bigint not null,
        cpus                  double precision not null,
        memory_mb             integer not null,
        capacity_revision     bigint not null,
        status           text not null,
        status_revision  bigint not null,
        drained          boolean not null,
        drained_revision bigint not null
      );

      create table monitoring.dashboard_tenants (
        tenant_id        text primary key,
        name             text,
        name_revision    bigint not null,
        plan_id          text,
        plan_revision    bigint not null,
        status           text not null,
        status_revision  bigint not null
      );

      create table monitoring.dashboard_plans (
        plan_id          text primary key,
        name             text not null,
        quotas           jsonb not null,
        revision         bigint not null
      );

      create table monitoring.dashboard_recent_events (
        tenant_id        text not null,
        sequence         bigint not null,
        event            jsonb not null,
        primary key (tenant_id, sequence)
      );

      create table monitoring.dashboard_event_counts (
        context          text not null,
        minute           timestamptz not null,
        events           integer not null,
        primary key (minute, context)
      );

      create table monitoring.dashboard_progress (
        id               integer primary key check (id = 1),
        last_sequence    bigint not null
      );
    `);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`
      drop table monitoring.dashboard_progress;
      drop table monitoring.dashboard_event_counts;
      drop table monitoring.dashboard_recent_events;
      drop table monitoring.dashboard_plans;
      drop table monitoring.dashboard_tenants;
      drop table monitoring.dashboard_hosts;
      drop table monitoring.dashboard_services;
      drop table monitoring.dashboard_containers;
    `);
  }
}
