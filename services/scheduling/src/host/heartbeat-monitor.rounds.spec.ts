import { randomUUID } from 'node:crypto';
import { SYSTEM_ACTOR } from '@caas/contracts';
import { handleCommand } from '@caas/domain';
import { type EventStore, PostgresEventStore } from '@caas/event-store';
import { HeartbeatMonitor } from './heartbeat-monitor';
import { hostDecider } from './host.decider';
import { hostStream } from './host.events';
import type { WatchedHost } from './host.projection';

const url = process.env.TEST_DATABASE_URL;
if (!url) throw new Error('TEST_DATABASE_URL is not set: start the infrastructure with `npm run infra:up`');

/**
 * The monitor's rounds (`tick`) on a fake clock and fake engines, against the real event
 * store: the grace period, the TTL, and two instances deciding the same thing.
 */
describe('HeartbeatMonitor rounds (fake engines, real event store)', () => {
  let store: EventStore;
  beforeAll(async () => {
    store = await PostgresEventStore.connect({ connectionString: url });
  });
  afterAll(async () => {
    await store?.close();
  });

  const TTL = 3_000;
  function setup() {
    const hostId = `test-${randomUUID()}`;
    let now = Date.parse('2026-11-22T10:00:00.000Z');
    const answers = { value: true };
    let status: WatchedHost['status'] = 'up';
    const pings: number[] = [];
    const monitor = () =>
      new HeartbeatMonitor({
        store,
        hosts: async () => [{ hostId, endpoint: 'unix:///fake.sock', status }],
        driverFor: () => ({
          ping: async (timeoutMs?: number) => {
            pings.push(timeoutMs!);
            if (!answers.value) throw new Error('unreachable');
            return 1;
          },
        }),
        ttlMs: TTL,
        intervalMs: 500,
        clock: () => now,
      });
    return {
      hostId,
      monitor,
      answers,
      pings,
      advance: (ms: number) => (now += ms),
      setStatus: (next: WatchedHost['status']) => (status = next),
      register: () =>
        handleCommand(
          store,
          hostDecider,
          hostStream(hostId),
          {
            kind: 'RegisterHost',
            hostId,
            roles: ['platform-admin'],
            endpoint: 'unix:///fake.sock',
            labels: {},
            environmentId: 'env',
            capacity: { cpus: 1, memoryMb: 512 },
            at: new Date(now).toISOString(),
          },
          { tenantId: null, actor: SYSTEM_ACTOR, correlationId: hostId, causationId: hostId },
        ),
      types: async () => {
        const types: string[] = [];
        for await (const event of store.readStream(hostStream(hostId))) types.push(event.type);
        return types;
      },
    };
  }

  it('gives a newly watched host one TTL of grace, then marks it down; pings with a deadline below the interval', async () => {
    const t = setup();
    await t.register();
    t.answers.value = false;
    const monitor = t.monitor();
    expect(await monitor.tick()).toEqual([]);
    t.advance(TTL);
    expect(await monitor.tick()).toEqual([]);
    t.advance(1);
    expect(await monitor.tick()).toEqual([{ hostId: t.hostId, command: 'MarkHostDown', result: 'recorded' }]);
    expect(await t.types()).toEqual(['HostRegistered', 'HostDown']);
    expect(t.pings.every((timeoutMs) => timeoutMs === 400)).toBe(true);
  });

  it('counts the TTL from the last answer, and a second instance deciding the same takes the conflict as done', async () => {
    const t = setup();
    await t.register();
    const [a, b] = [t.monitor(), t.monitor()];
    await a.tick();
    await b.tick();
    t.advance(2_000);
    await a.tick(); // both saw it answer at +2 s
    await b.tick();
    t.answers.value = false;
    t.advance(2_000);
    expect(await a.tick()).toEqual([]); // silent for 2 s only
    t.advance(1_001);
    expect(await a.tick()).toEqual([{ hostId: t.hostId, command: 'MarkHostDown', result: 'recorded' }]);
    // b's read model still says up.
    expect(await b.tick()).toEqual([{ hostId: t.hostId, command: 'MarkHostDown', result: 'done' }]);

    t.setStatus('down');
    expect(await a.tick()).toEqual([]); // still silent
    t.answers.value = true;
    t.advance(500);
    expect(await a.tick()).toEqual([{ hostId: t.hostId, command: 'MarkHostUp', result: 'recorded' }]);
    expect(await b.tick()).toEqual([{ hostId: t.hostId, command: 'MarkHostUp', result: 'done' }]);
    expect(await t.types()).toEqual(['HostRegistered', 'HostDown', 'HostUp']);
  });

  it('never pings a removed host', async () => {
    const t = setup();
    t.setStatus('removed');
    expect(await t.monitor().tick()).toEqual([]);
    expect(t.pings).toEqual([]);
  });
});
