import { type HostView, SCHEDULING, SHARED_POOL_ENVIRONMENT_ID } from '@caas/contracts';
import { ENGINE_SETUP_TIMEOUT_MS, dockerHosts } from '../runtime/docker/test-support/engines';
import { type SchedulingUnderTest, platformAdmin, startSchedulingForTest } from '../testing/scheduling-test-kit';

describe('bootstrap hosts (SCHEDULING_BOOTSTRAP_HOSTS)', () => {
  let sut: SchedulingUnderTest;
  let endpoint: string;

  beforeAll(async () => {
    [endpoint] = await dockerHosts();
    // Named twice, and an engine that does not answer: neither may stop the start.
    sut = await startSchedulingForTest({
      bootstrapHosts: [endpoint, endpoint, 'unix:///nonexistent/docker.sock'],
    });
  }, ENGINE_SETUP_TIMEOUT_MS);

  afterAll(() => sut?.close());

  it('registers each answering engine once, in the shared pool, before the service answers', async () => {
    const hosts = await sut.client.call<HostView[]>(SCHEDULING.listHosts, {}, platformAdmin());
    expect(hosts).toEqual([
      expect.objectContaining({ endpoint, environmentId: SHARED_POOL_ENVIRONMENT_ID, status: 'up', labels: {} }),
    ]);
    expect(hosts[0].capacity.cpus).toBeGreaterThan(0);
  });
});
