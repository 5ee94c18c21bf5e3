import { randomUUID } from 'node:crypto';
import { PostgresEventStore, collect } from '@caas/event-store';
import { TEST_DATABASE_URL } from '../testing/tenancy-test-kit';
import { planStream } from './plan.events';
import { seedPlans } from './plan.seed';

describe('seedPlans (real PostgreSQL event store)', () => {
  let store: PostgresEventStore;
  beforeAll(async () => {
    store = await PostgresEventStore.connect({ connectionString: TEST_DATABASE_URL });
  });
  afterAll(() => store?.close());

  const plan = (planId: string, maxContainers: number) => ({
    planId,
    name: 'Test',
    quotas: {
      maxContainers,
      maxVcpu: 1,
      maxMemoryMb: 512,
      maxVolumeGb: 1,
      maxConcurrentBuilds: 1,
      maxImageStorageMb: 1,
    },
  });

  it('seeding again, and several instances seeding at once, define each plan once', async () => {
    const planId = `test${randomUUID().slice(0, 8)}`;
    await Promise.all(Array.from({ length: 4 }, () => seedPlans(store, [plan(planId, 2)])));
    await seedPlans(store, [plan(planId, 2)]);
    const events = await collect(store.readStream(planStream(planId)));
    expect(events.map((e) => [e.type, e.data])).toEqual([['PlanDefined', plan(planId, 2)]]);
  });

  it('a changed catalogue figure redefines the plan once', async () => {
    const planId = `test${randomUUID().slice(0, 8)}`;
    await seedPlans(store, [plan(planId, 2)]);
    await Promise.all(Array.from({ length: 3 }, () => seedPlans(store, [plan(planId, 3)])));
    const events = await collect(store.readStream(planStream(planId)));
    expect(events.map((e) => (e.data as { quotas: { maxContainers: number } }).quotas.maxContainers)).toEqual([2, 3]);
  });
});
