import type { GuardedTable } from './guarded-upsert';

/*
 * The dashboard's rows and their guarded column groups (see guarded-upsert.ts). Each
 * table is keyed by the id of the stream its events come from (`container-<id>`, …), so
 * the revisions compared are always one stream's.
 */

export const CONTAINERS: GuardedTable<'fact' | 'status' | 'desired'> = {
  name: 'monitoring.dashboard_containers',
  key: 'container_id',
  groups: {
    // Every container event carries the whole fact (tenant, service, host, resources).
    fact: {
      revision: 'fact_revision',
      unset: { tenant_id: '', service_id: null, host_id: null, cpus: 0, memory_mb: 0 },
    },
    // Observed, as scheduling's view says it: scheduled until it first starts.
    status: { revision: 'status_revision', unset: { status: 'scheduled' } },
    desired: { revision: 'desired_revision', unset: { desired: 'running' } },
  },
};

export const SERVICES: GuardedTable<'owner' | 'name' | 'replicas' | 'resources' | 'rollout' | 'status'> = {
  name: 'monitoring.dashboard_services',
  key: 'service_id',
  groups: {
    owner: { revision: 'owner_revision', unset: { tenant_id: '' } },
    name: { revision: 'name_revision', unset: { name: null } },
    replicas: { revision: 'replicas_revision', unset: { replicas: 0 } },
    resources: { revision: 'resources_revision', unset: { cpus: 0, memory_mb: 0 } },
    rollout: { revision: 'rollout_revision', unset: { rollout_status: 'idle' } },
    status: { revision: 'status_revision', unset: { status: 'active' } },
  },
};

export const HOSTS: GuardedTable<'capacity' | 'registration' | 'status' | 'drained'> = {
  name: 'monitoring.dashboard_hosts',
  key: 'host_id',
  groups: {
    capacity: { revision: 'capacity_revision', unset: { cpus: 0, memory_mb: 0 } },
    registration: { revision: 'registration_revision', unset: { environment_id: null } },
    // up | down | removed; draining is `drained` and not down or removed (as scheduling's hosts read model).
    status: { revision: 'status_revision', unset: { status: 'up' } },
    drained: { revision: 'drained_revision', unset: { drained: false } },
  },
};

export const TENANTS: GuardedTable<'name' | 'plan' | 'status'> = {
  name: 'monitoring.dashboard_tenants',
  key: 'tenant_id',
  groups: {
    name: { revision: 'name_revision', unset: { name: null } },
    plan: { revision: 'plan_revision', unset: { plan_id: null } },
    status: { revision: 'status_revision', unset: { status: 'active' } },
  },
};

export const PLANS: GuardedTable<'definition'> = {
  name: 'monitoring.dashboard_plans',
  key: 'plan_id',
  groups: { definition: { revision: 'revision', unset: { name: '', quotas: '{}' } } },
};
