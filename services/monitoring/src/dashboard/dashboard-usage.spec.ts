import type { PlanQuotas } from '@caas/contracts';
import { dashboardUsage } from './dashboard-usage';

const quotas = (maxContainers: number): PlanQuotas => ({
  maxContainers,
  maxVcpu: 2,
  maxMemoryMb: 1024,
  maxVolumeGb: 1,
  maxConcurrentBuilds: 1,
  maxImageStorageMb: 100,
});
const demand = { containers: 3, cpus: 1.5, memoryMb: 512 };

describe('dashboardUsage', () => {
  it("takes tenancy's plan of now over the projected one, and names the limits usage is over", () => {
    const usage = dashboardUsage(
      demand,
      { planId: 'free', name: 'Free', quotas: quotas(2) },
      { planId: 'pro', name: 'Pro', quotas: quotas(10) },
    );
    expect(usage).toEqual({
      planId: 'free',
      planName: 'Free',
      planSource: 'tenancy',
      limits: [
        { limit: 'maxContainers', used: 3, allowed: 2 },
        { limit: 'maxVcpu', used: 1.5, allowed: 2 },
        { limit: 'maxMemoryMb', used: 512, allowed: 1024 },
      ],
      limitsExceeded: ['maxContainers'],
    });
  });

  it('falls back to the projected plan, and shows no limits when neither is known', () => {
    expect(dashboardUsage(demand, undefined, { planId: 'pro', name: 'Pro', quotas: quotas(10) })).toMatchObject({
      planId: 'pro',
      planSource: 'projected',
      limitsExceeded: [],
    });
    expect(dashboardUsage(demand, undefined, { planId: 'gone', name: null, quotas: null })).toEqual({
      planId: 'gone',
      planName: null,
      planSource: 'unknown',
      limits: [],
      limitsExceeded: [],
    });
    expect(dashboardUsage(demand, undefined, null)).toMatchObject({ planId: null, planSource: 'unknown' });
  });
});
