import type { PlanQuotas } from '@caas/contracts';

export interface PlanDefinition {
  readonly planId: string;
  readonly name: string;
  readonly quotas: PlanQuotas;
}

/** The plan a tenant gets when its creator names none. */
export const DEFAULT_PLAN_ID = 'free';

/** Seeded at every start; changing a figure here redefines the plan on the next start. */
export const PLAN_CATALOGUE: readonly PlanDefinition[] = [
  {
    planId: 'free',
    name: 'Free',
    quotas: {
      maxContainers: 2,
      maxVcpu: 1,
      maxMemoryMb: 1024,
      maxVolumeGb: 5,
      maxConcurrentBuilds: 1,
      maxImageStorageMb: 50,
    },
  },
  {
    planId: 'pro',
    name: 'Pro',
    quotas: {
      maxContainers: 20,
      maxVcpu: 8,
      maxMemoryMb: 16384,
      maxVolumeGb: 100,
      maxConcurrentBuilds: 4,
      maxImageStorageMb: 10_240,
    },
  },
  {
    planId: 'enterprise',
    name: 'Enterprise',
    quotas: {
      maxContainers: 200,
      maxVcpu: 64,
      maxMemoryMb: 262144,
      maxVolumeGb: 2000,
      maxConcurrentBuilds: 20,
      maxImageStorageMb: 204_800,
    },
  },
];
