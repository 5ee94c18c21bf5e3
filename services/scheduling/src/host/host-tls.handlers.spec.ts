import { type HostView, type RegisteredHost, SCHEDULING, SHARED_POOL_ENVIRONMENT_ID } from '@caas/contracts';
import { PostgresEventStore, collect } from '@caas/event-store';
import { hostCredentialsStream } from '../cluster/host-drivers';
import { type EngineProxy, startTlsEngineProxy } from '../runtime/docker/test-support/engine-proxy';
import { ENGINE_SETUP_TIMEOUT_MS, dockerHosts } from '../runtime/docker/test-support/engines';
import { type TestPki, makeTestPki } from '../runtime/docker/test-support/tls-certs';
import { type SchedulingUnderTest, platformAdmin, startSchedulingForTest } from '../testing/scheduling-test-kit';
import { hostStream } from './host.events';

const TTL_MS = 2_000;

describe('scheduling over NATS: a tcp:// host with TLS client certificates', () => {
  let sut: SchedulingUnderTest;
  let pki: TestPki;
  let proxy: EngineProxy;

  beforeAll(async () => {
    const [endpoint] = (await dockerHosts()) as [string];
    pki = await makeTestPki();
    proxy = await startTlsEngineProxy(endpoint, pki);
    sut = await startSchedulingForTest({ hostTtlMs: TTL_MS, heartbeatIntervalMs: 250 });
  }, ENGINE_SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await sut?.close();
    await proxy?.stop();
  });

  it('registers it, keeps the key out of events and views, and heartbeats it with the stored credentials', async () => {
    const admin = platformAdmin();
    const tls = { caPem: pki.ca, certPem: pki.client.cert, keyPem: pki.client.key };
    const { hostId } = await sut.client.call<RegisteredHost>(
      SCHEDULING.registerHost,
      { endpoint: proxy.endpoint, tls, environmentId: SHARED_POOL_ENVIRONMENT_ID },
      admin,
    );
    const view = await sut.client.call<HostView>(SCHEDULING.getHost, { hostId }, admin);
    expect(view).toMatchObject({ hostId, endpoint: proxy.endpoint, status: 'up' });
    expect(JSON.stringify(view)).not.toContain('PRIVATE KEY');

    const store = await PostgresEventStore.connect({ connectionString: sut.databaseUrl });
    try {
      const [credentials] = await collect(store.readStream(hostCredentialsStream(hostId)));
      expect(credentials?.data).toMatchObject({ hostId, tls: { key: pki.client.key } });

      // Longer than the TTL: only the stored client certificate gets the heartbeat through.
      await new Promise((resolve) => setTimeout(resolve, TTL_MS * 2));
      const hostEvents = await collect(store.readStream(hostStream(hostId)));
      expect(hostEvents.map((event) => event.type)).toEqual(['HostRegistered']);
      expect(JSON.stringify(hostEvents.map((event) => event.data))).not.toContain('PRIVATE KEY');
    } finally {
      await store.close();
    }
    expect((await sut.client.call<HostView>(SCHEDULING.getHost, { hostId }, admin)).status).toBe('up');
  });
});
