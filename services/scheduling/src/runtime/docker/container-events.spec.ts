import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '@caas/testing';
import type { ContainerEventFeed, ContainerFeedMessage } from './container-events';
import { DockerHostDriver } from './docker-host-driver';
import { HostUnreachableError } from './errors';
import { EngineProxy } from './test-support/engine-proxy';
import {
  ENGINE_SETUP_TIMEOUT_MS,
  TEST_RUN_LABEL,
  cleanUp,
  dockerHosts,
  newRunId,
  rawDocker,
  testSpec,
} from './test-support/engines';

// Integration tests against the real local engines of infra/local/docker.sh.
const runId = newRunId();
const tenant = `${runId}-a`;
let endpoint: string;
let driver: DockerHostDriver;
const feeds: ContainerEventFeed[] = [];

beforeAll(async () => {
  [endpoint] = (await dockerHosts()) as [string];
  driver = new DockerHostDriver({ endpoint });
  await driver.ensureNetwork(`caas-tenant-${tenant}`, tenant);
}, ENGINE_SETUP_TIMEOUT_MS);

afterAll(async () => {
  for (const feed of feeds) feed.close();
  if (endpoint) await cleanUp(endpoint, runId);
});

/** Reads a feed in the background into an array the test polls. */
function record(feed: ContainerEventFeed): ContainerFeedMessage[] {
  feeds.push(feed);
  const messages: ContainerFeedMessage[] = [];
  void (async () => {
    for await (const message of feed) messages.push(message);
  })();
  return messages;
}

async function waitFor(messages: ContainerFeedMessage[], matches: (m: ContainerFeedMessage) => boolean, count = 1) {
  const seen = await eventually(
    async () => messages.filter(matches),
    (found) => found.length >= count,
  );
  expect(seen.length).toBeGreaterThanOrEqual(count);
  return seen;
}

const isEvent = (engineId: string, action: string) => (m: ContainerFeedMessage) =>
  m.kind === 'event' && m.event.engineId === engineId && m.event.action === action;

describe('container events', () => {
  it('reports start, health, die with the exit code (also of a process killed behind the engine) and destroy', async () => {
    const messages = record(driver.events({ labels: { [TEST_RUN_LABEL]: runId } }));
    await waitFor(messages, (m) => m.kind === 'connected');

    const quitter = await driver.createContainer(
      testSpec(runId, tenant, 'exit-3', { command: ['sh', '-c', 'exit 3'] }),
    );
    const victim = await driver.createContainer(
      testSpec(runId, tenant, 'victim', {
        healthCheck: {
          test: ['CMD', 'true'],
          intervalSeconds: 1,
          timeoutSeconds: 1,
          retries: 1,
          startPeriodSeconds: 0,
        },
      }),
    );
    await Promise.all([driver.start(quitter), driver.start(victim)]);

    await waitFor(messages, isEvent(quitter, 'start'));
    const [died] = await waitFor(messages, isEvent(quitter, 'die'));
    expect(died).toMatchObject({
      kind: 'event',
      event: {
        action: 'die',
        name: `caas-${runId}-exit-3`,
        image: 'caas/busybox:1',
        exitCode: 3,
        labels: expect.objectContaining({ 'caas.managed': 'true', 'caas.tenant': tenant }),
      },
    });

    const [health] = await waitFor(messages, isEvent(victim, 'health_status'));
    expect(health).toMatchObject({ event: { health: 'healthy' } });

    // A crash the engine did not cause: SIGKILL to the container's process from the host.
    const { State } = await rawDocker(endpoint).getContainer(victim).inspect();
    process.kill(State.Pid, 'SIGKILL');
    const [killed] = await waitFor(messages, isEvent(victim, 'die'));
    expect(killed).toMatchObject({ event: { exitCode: 137 } });

    await driver.remove(quitter);
    await waitFor(messages, isEvent(quitter, 'destroy'));
    // Other runs' containers never show up: the feed is filtered by labels on the engine.
    expect(messages.every((m) => m.kind !== 'event' || m.event.labels[TEST_RUN_LABEL] === runId)).toBe(true);
  });

  it('survives the engine going away and coming back, saying so each time', async () => {
    const proxy = new EngineProxy(endpoint.replace(/^unix:\/\//, ''), join(tmpdir(), `caas-${runId}-proxy.sock`));
    await proxy.start();
    const viaProxy = new DockerHostDriver({ endpoint: proxy.endpoint });
    const messages = record(
      viaProxy.events({ labels: { [TEST_RUN_LABEL]: runId }, initialBackoffMs: 50, maxBackoffMs: 100 }),
    );
    await waitFor(messages, (m) => m.kind === 'connected');

    await proxy.stop();
    const [lost] = await waitFor(messages, (m) => m.kind === 'disconnected');
    expect(lost).toMatchObject({ error: expect.any(HostUnreachableError) });
    // Several reconnect attempts fail meanwhile; the outage is reported once.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(messages.filter((m) => m.kind === 'disconnected')).toHaveLength(1);

    await proxy.start();
    await waitFor(messages, (m) => m.kind === 'connected', 2);
    const id = await driver.createContainer(testSpec(runId, tenant, 'after-outage'));
    await driver.start(id);
    await waitFor(messages, isEvent(id, 'start'));
    await proxy.stop();
  });

  it('notices an engine that stops answering without closing the connection', async () => {
    const proxy = new EngineProxy(endpoint.replace(/^unix:\/\//, ''), join(tmpdir(), `caas-${runId}-frozen.sock`));
    await proxy.start();
    const viaProxy = new DockerHostDriver({ endpoint: proxy.endpoint, pingTimeoutMs: 300 });
    const messages = record(
      viaProxy.events({ labels: { [TEST_RUN_LABEL]: runId }, watchdogIntervalMs: 200, initialBackoffMs: 50 }),
    );
    await waitFor(messages, (m) => m.kind === 'connected');

    proxy.freeze();
    const [lost] = await waitFor(messages, (m) => m.kind === 'disconnected');
    expect((lost as { error: Error }).error.message).toMatch(/watchdog ping failed/);

    proxy.thaw();
    await waitFor(messages, (m) => m.kind === 'connected', 2);
    await proxy.stop();
  });

  it('ends when closed', async () => {
    const feed = driver.events();
    const messages: ContainerFeedMessage[] = [];
    const done = (async () => {
      for await (const message of feed) messages.push(message);
    })();
    await waitFor(messages, (m) => m.kind === 'connected');
    feed.close();
    await done;
  });
});
