import { spec } from '@caas/domain/src/decider-spec';
import type { PlanEvent } from './plan.events';
import { planDecider } from './plan.decider';

const quotas = {
  maxContainers: 2,
  maxVcpu: 1,
  maxMemoryMb: 1024,
  maxVolumeGb: 5,
  maxConcurrentBuilds: 1,
  maxImageStorageMb: 50,
};
const defined: PlanEvent = { type: 'PlanDefined', data: { planId: 'free', name: 'Free', quotas } };

describe('plan decider', () => {
  describe('DefinePlan', () => {
    it('defines a new plan', () =>
      spec(planDecider).given([]).when({ kind: 'DefinePlan', planId: 'free', name: 'Free', quotas }).then([defined]));

    it('changes nothing when the definition is the same (re-seeding)', () =>
      spec(planDecider).given([defined]).when({ kind: 'DefinePlan', planId: 'free', name: 'Free', quotas }).then([]));

    it('redefines the quotas when they changed', () =>
      spec(planDecider)
        .given([defined])
        .when({ kind: 'DefinePlan', planId: 'free', name: 'Free', quotas: { ...quotas, maxContainers: 3 } })
        .then([
          { type: 'PlanDefined', data: { planId: 'free', name: 'Free', quotas: { ...quotas, maxContainers: 3 } } },
        ]));

    it('refuses a negative or fractional limit', () => {
      spec(planDecider)
        .given([])
        .when({ kind: 'DefinePlan', planId: 'x', name: 'X', quotas: { ...quotas, maxVcpu: -1 } })
        .thenFails('validation', /maxVcpu/);
      spec(planDecider)
        .given([])
        .when({ kind: 'DefinePlan', planId: 'x', name: 'X', quotas: { ...quotas, maxVolumeGb: 1.5 } })
        .thenFails('validation', /maxVolumeGb/);
    });
  });
});
