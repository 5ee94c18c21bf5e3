import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Actor } from '@caas/contracts';
import { handleCommand } from '@caas/domain';
import { type EventStore, PostgresEventStore, type RecordedEvent } from '@caas/event-store';
import type { ReadModelConsumer } from '@caas/read-model';
import type { DataSource } from 'typeorm';
import { DockerHostDriver } from '../runtime/docker';
import { EngineProxy } from '../runtime/docker/test-support/engine-proxy';
import { ENGINE_SETUP_TIMEOUT_MS, dockerHosts, newRunId } from '../runtime/docker/test-support/engines';
import { HeartbeatMonitor } from './heartbeat-monitor';
import { hostDecider } from './host.decider';
import { hostStream } from './host.events';
import { findHost, openSchedulingDatabase, startHostReadModel, watchedHosts } from './host.projection';

const url = process.env.TEST_DATABASE_URL;
if (!url) throw new Error('TEST_DATABASE_URL is not set: start the infrastructure with `npm run infra:up`');

const TTL_MS = 3_000;
const INTERVAL_MS = 500;
const admin: Actor = { type: 'user', id: 'platform-admin-test' };

/** Polls `probe` every 50 ms until `done`; the elapsed time is measured from the call. */
async function until<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`not reached within ${timeoutMs} ms: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('HeartbeatMonitor (real Docker engines, real PostgreSQL)', () => {
  const runId = newRunId();
  let store: EventStore;
  let dataSource: DataSource;
  let readModel: ReadModelConsumer;
  let proxy: EngineProxy;
  let endpoints: string[];
  const hostIds = [1, 2, 3].map((n) => `${runId}-host-${n}`);
  const [host1, host2, host3] = hostIds as [string, string, string];
  const monitors: HeartbeatMonitor[] = [];

  beforeAll(async () => {
    endpoints = (await dockerHosts()).slice(0, 3);
    expect(endpoints).toHaveLength(3);
    store = await PostgresEventStore.connect({ connectionString: url });
    dataSource = await openSchedulingDatabase(url);
    readModel = await startHostReadModel(store, dataSource);
    // host-2's path to its engine: a proxy in front of the shared engine's socket, which this test cuts.
    proxy = new EngineProxy(endpoints[1]!.replace(/^unix:\/\//, ''), join(tmpdir(), `caas-${runId}-host-2.sock`));
    await proxy.start();
  }, ENGINE_SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await Promise.all(monitors.map((monitor) => monitor.stop()));
    await proxy?.stop();
    // Drained and removed, the test's hosts leave the set any monitor watches.
    for (const hostId of hostIds) {
      for (const kind of ['DrainHost', 'RemoveHost'] as const) {
        const correlationId = randomUUID();
        const command = { kind, hostId, roles: ['platform-admin'], containers: 0, at: new Date().toISOString() };
        await handleCommand(store, hostDecider, hostStream(hostId), command, {
          tenantId: null,
          actor: admin,
          correlationId,
          causationId: correlationId,
        }).catch(() => undefined);
      }
    }
    await readModel?.stop();
    await dataSource?.destroy();
    await store?.close();
  });

  async function streamOf(hostId: string): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    for await (const event of store.readStream(hostStream(hostId))) events.push(event);
    return events;
  }
  const typesOf = async (hostId: string) => (await streamOf(hostId)).map((event) => event.type);

  it('marks a silent host down within TTL + 2 s, and up again as soon as it answers; the others stay up', async () => {
    // Registered by a platform admin through the decider, capacity read from each engine.
    for (const [index, hostId] of hostIds.entries()) {
      const endpoint = endpoints[index]!;
      const { capacity } = await new DockerHostDriver({ endpoint }).info();
      const correlationId = randomUUID();
      await handleCommand(
        store,
        hostDecider,
        hostStream(hostId),
        {
          kind: 'RegisterHost',
          hostId,
          roles: ['platform-admin'],
          endpoint,
          labels: { 'caas.test-run': runId },
          environmentId: `${runId}-env`,
          capacity,
          at: new Date().toISOString(),
        },
        { tenantId: null, actor: admin, correlationId, causationId: correlationId },
      );
    }
    const registered = await Promise.all(hostIds.map(streamOf));
    await readModel.waitFor(registered[2]![0]!.position);
    const ours = new Set(hostIds);
    expect((await watchedHosts(dataSource)).filter((host) => ours.has(host.hostId))).toEqual(
      hostIds.map((hostId, index) => ({ hostId, endpoint: endpoints[index], status: 'up' })),
    );

    // Two instances, as in production: whichever loses the race gets a conflict and takes it as done.
    const errors: unknown[] = [];
    const pinged = new Map<string, number>();
    for (let i = 0; i < 2; i++) {
      const monitor = new HeartbeatMonitor({
        store,
        hosts: async () => (await watchedHosts(dataSource)).filter((host) => ours.has(host.hostId)),
        driverFor: (host) => {
          const driver = new DockerHostDriver({ endpoint: host.hostId === host2 ? proxy.endpoint : host.endpoint });
          return {
            ping: async (timeoutMs?: number) => {
              pinged.set(host.hostId, (pinged.get(host.hostId) ?? 0) + 1);
              return driver.ping(timeoutMs);
            },
          };
        },
        ttlMs: TTL_MS,
        intervalMs: INTERVAL_MS,
        onError: (error) => errors.push(error),
      });
      monitors.push(monitor);
      monitor.start();
    }

    // Every host answers: a few rounds later nothing has been recorded.
    await new Promise((resolve) => setTimeout(resolve, 3 * INTERVAL_MS));
    expect(hostIds.every((hostId) => (pinged.get(hostId) ?? 0) >= 4)).toBe(true);
    expect(await Promise.all(hostIds.map(typesOf))).toEqual([
      ['HostRegistered'],
      ['HostRegistered'],
      ['HostRegistered'],
    ]);

    // Cut host-2's path to its engine (the engine itself keeps running for other tests).
    const cutAt = Date.now();
    await proxy.stop();
    // A ping already answered while the proxy was closing may be stamped after cutAt, never after this.
    const cutDoneAt = Date.now();
    await until(
      () => typesOf(host2),
      (types) => types.includes('HostDown'),
      TTL_MS + 2_000,
    );
    const downAfterMs = Date.now() - cutAt;
    expect(downAfterMs).toBeLessThanOrEqual(TTL_MS + 2_000);

    const [, hostDown] = await streamOf(host2);
    const { lastSeenAt, at } = hostDown!.data as { lastSeenAt: string; at: string };
    expect(Date.parse(at) - Date.parse(lastSeenAt)).toBeGreaterThan(TTL_MS);
    // It answered until the cut (its last answer came a round or so before it), not since; and it was
    // marked down only once silent for the TTL, counted from that last answer.
    expect(Date.parse(lastSeenAt)).toBeLessThanOrEqual(cutDoneAt);
    expect(Date.parse(lastSeenAt)).toBeGreaterThan(cutAt - 2 * INTERVAL_MS);
    expect(downAfterMs).toBeGreaterThanOrEqual(TTL_MS - (cutAt - Date.parse(lastSeenAt)));
    await readModel.waitFor(hostDown!.position);
    expect(await findHost(dataSource, host2)).toMatchObject({ status: 'down', lastSeenAt: new Date(lastSeenAt) });

    // Restore the path: HostUp follows within a few seconds.
    const restoredAt = Date.now();
    await proxy.start();
    await until(
      () => typesOf(host2),
      (types) => types.includes('HostUp'),
      3_000,
    );
    const upAfterMs = Date.now() - restoredAt;
    expect(upAfterMs).toBeLessThanOrEqual(3_000);

    // Exactly once each, although two monitors decided it; the others never went down.
    await new Promise((resolve) => setTimeout(resolve, 2 * INTERVAL_MS));
    expect(await typesOf(host2)).toEqual(['HostRegistered', 'HostDown', 'HostUp']);
    expect(await typesOf(host1)).toEqual(['HostRegistered']);
    expect(await typesOf(host3)).toEqual(['HostRegistered']);
    expect(errors).toEqual([]);

    const events = await streamOf(host2);
    await readModel.waitFor(events[events.length - 1]!.position);
    expect((await watchedHosts(dataSource)).filter((host) => ours.has(host.hostId)).map((host) => host.status)).toEqual(
      ['up', 'up', 'up'],
    );

    await Promise.all(monitors.splice(0).map((monitor) => monitor.stop()));
    process.stdout.write(`HostDown after ${downAfterMs} ms (TTL ${TTL_MS} ms), HostUp after ${upAfterMs} ms\n`);
  });
});
