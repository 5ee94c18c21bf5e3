import { randomUUID } from 'node:crypto';
import { type LogFollowMessage, LOG_FOLLOW, type LogLineView } from '@caas/contracts';
import type { RequestMeta } from '@caas/messaging/src/rpc/request-meta';
import { type PrivateNats, eventually, sleep, startPrivateNats } from '@caas/testing';
import { connect, createInbox, type NatsConnection } from 'nats';
import { DockerHostDriver } from '../../runtime/docker/docker-host-driver';
import {
  ENGINE_SETUP_TIMEOUT_MS,
  cleanUp,
  dockerHosts,
  newRunId,
  testSpec,
} from '../../runtime/docker/test-support/engines';
import { ContainerLogsHandlers } from './container-logs.handlers';
import { type ContainerLocation, DockerContainerLogSource } from './docker-container-log-source';
import { LogFollowSession } from './log-follow-session';

// A real Docker engine (infra/local/docker.sh) and a real nats-server of this file's own.
const runId = newRunId();
const tenant = randomUUID();
const otherTenant = randomUUID();
const HOST = 'host-1';
const located = new Map<string, ContainerLocation>();
let endpoint: string;
let driver: DockerHostDriver;
let privateNats: PrivateNats | null;
let nats: NatsConnection;
let source: DockerContainerLogSource;

beforeAll(async () => {
  [endpoint] = (await dockerHosts()) as [string];
  driver = new DockerHostDriver({ endpoint });
  // The run id in the tenant label lets cleanUp find the network; the tenant itself is a UUID.
  await driver.ensureNetwork(`caas-tenant-${runId}`, `${runId}-logs`);
  privateNats = await startPrivateNats();
  nats = await connect({ servers: privateNats?.url ?? process.env.NATS_URL });
  source = new DockerContainerLogSource(
    (tenantId, containerId) => located.get(`${tenantId}/${containerId}`),
    (hostId) => (hostId === HOST ? driver : undefined),
  );
}, ENGINE_SETUP_TIMEOUT_MS);

afterAll(async () => {
  await nats?.close();
  await privateNats?.stop();
  if (endpoint) await cleanUp(endpoint, runId);
});

/** Starts a busybox container running `script` and makes it the tenant's container. */
async function container(name: string, script: string): Promise<string> {
  const spec = testSpec(runId, `${runId}-logs`, name, {
    command: ['sh', '-c', script],
    network: `caas-tenant-${runId}`,
  });
  await driver.start(await driver.createContainer(spec));
  const containerId = randomUUID();
  located.set(`${tenant}/${containerId}`, { hostId: HOST, engineName: spec.name });
  return containerId;
}

const TICKER = 'echo started >&2; i=1; while true; do echo tick-$i; i=$((i+1)); sleep 0.1; done';

/** Everything published to a fresh inbox, until `end`. */
function listen() {
  const inbox = createInbox();
  const messages: LogFollowMessage[] = [];
  const subscription = nats.subscribe(inbox);
  const ended = (async () => {
    for await (const message of subscription) {
      messages.push(message.json<LogFollowMessage>());
      if (messages.at(-1)!.type === 'end') break;
    }
    return messages.at(-1) as Extract<LogFollowMessage, { type: 'end' }>;
  })();
  const lines = () => messages.filter((m): m is Extract<LogFollowMessage, { type: 'line' }> => m.type === 'line');
  return { inbox, messages, lines, ended };
}

/** Waits for the container's engine state to be exited: its whole log is written. */
const exited = (containerId: string) =>
  eventually(
    () => driver.inspect(located.get(`${tenant}/${containerId}`)!.engineName),
    (observed) => observed.state === 'exited',
  );

const until = async (check: () => boolean, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

async function follow(containerId: string, tail: number, inbox: string, keepaliveTimeoutMs?: number) {
  const session = new LogFollowSession(
    nats,
    source,
    { tenantId: tenant, containerId, tail, inbox },
    keepaliveTimeoutMs,
  );
  await session.open();
  return { session, done: session.run() };
}

describe('DockerContainerLogSource', () => {
  it('answers the last `tail` lines with their stream and the engine timestamp', async () => {
    // The engine copies stdout and stderr separately: lines written in the same instant may
    // land in its log in either order, so stderr's line comes a moment later.
    const id = await container('five', 'for i in 1 2 3 4 5; do echo out-$i; done; sleep 1; echo err-x >&2');
    await exited(id);
    const lines: LogLineView[] = [];
    for await (const line of await source.open(tenant, id, { tail: 3, follow: false }, new AbortController().signal))
      lines.push(line);
    expect(lines.map((l) => l.line).sort()).toEqual(['err-x', 'out-4', 'out-5']);
    expect(lines.find((l) => l.line === 'err-x')!.stream).toBe('stderr');
    expect(lines.find((l) => l.line === 'out-5')!.stream).toBe('stdout');
    for (const line of lines) expect(Date.now() - Date.parse(line.at)).toBeLessThan(60_000);
  });

  it("does not find another tenant's container, and says when its host is not connected", async () => {
    const id = await container('hidden', 'echo secret');
    const signal = new AbortController().signal;
    await expect(source.open(otherTenant, id, { tail: 10, follow: false }, signal)).rejects.toMatchObject({
      code: 'not_found',
    });
    located.set(`${tenant}/elsewhere`, { hostId: 'host-9', engineName: 'x' });
    await expect(source.open(tenant, 'elsewhere', { tail: 10, follow: false }, signal)).rejects.toMatchObject({
      code: 'unavailable',
    });
  });
});

describe('LogFollowSession', () => {
  it('publishes the tail, then new lines, then `end` when the container stops', async () => {
    const id = await container('short', 'for i in 1 2 3 4 5 6; do echo line-$i; sleep 0.2; done');
    const inbox = listen();
    await follow(id, 100, inbox.inbox);
    const end = await inbox.ended;
    expect(inbox.lines().map((l) => l.line)).toEqual(['line-1', 'line-2', 'line-3', 'line-4', 'line-5', 'line-6']);
    expect(inbox.lines()[0]).toMatchObject({ type: 'line', stream: 'stdout', at: expect.stringMatching(/^\d{4}-/) });
    expect(end).toEqual({ type: 'end', reason: 'container stopped' });
  });

  it('starts with the last `tail` lines only', async () => {
    const id = await container('tailed', 'for i in 1 2 3 4 5 6 7 8; do echo n-$i; done');
    await exited(id);
    const inbox = listen();
    await follow(id, 2, inbox.inbox);
    await inbox.ended;
    expect(inbox.lines().map((l) => l.line)).toEqual(['n-7', 'n-8']);
  });

  it('stops on cancel, and answers keepalives sent as requests until then', async () => {
    const id = await container('cancelled', TICKER);
    const inbox = listen();
    const { done } = await follow(id, 10, inbox.inbox);
    await until(() => inbox.lines().length >= 5);
    // stdout and stderr interleave in the order the engine received them: not asserted.
    expect(inbox.lines()).toContainEqual(expect.objectContaining({ stream: 'stderr', line: 'started' }));
    await expect(
      nats.request(LOG_FOLLOW.aliveSubject(inbox.inbox), undefined, { timeout: 2_000 }),
    ).resolves.toBeDefined();
    nats.publish(LOG_FOLLOW.cancelSubject(inbox.inbox));
    expect(await inbox.ended).toEqual({ type: 'end', reason: 'cancelled' });
    expect(await done).toBe('cancelled');
    // Gone: nobody answers its keepalive any more.
    await expect(nats.request(LOG_FOLLOW.aliveSubject(inbox.inbox), undefined, { timeout: 2_000 })).rejects.toThrow();
  });

  it('keeps going while keepalives arrive, and stops when they stop', async () => {
    const id = await container('abandoned', TICKER);
    const inbox = listen();
    const started = Date.now();
    await follow(id, 1, inbox.inbox, 800);
    const keepalive = setInterval(() => nats.publish(LOG_FOLLOW.aliveSubject(inbox.inbox)), 200);
    await sleep(2_000);
    clearInterval(keepalive);
    expect(inbox.messages.some((m) => m.type === 'end')).toBe(false);
    expect(await inbox.ended).toEqual({ type: 'end', reason: 'no keepalive' });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('fails to open for a container the tenant cannot see, publishing nothing', async () => {
    const inbox = listen();
    await expect(follow(randomUUID(), 10, inbox.inbox)).rejects.toMatchObject({ code: 'not_found' });
    await nats.flush();
    expect(inbox.messages).toEqual([]);
  });
});

describe('ContainerLogsHandlers', () => {
  const meta = (tenantId: string, roles = ['viewer']): RequestMeta => ({
    correlationId: randomUUID(),
    actor: { type: 'user', id: randomUUID() },
    tenantId,
    roles,
  });
  let handlers: ContainerLogsHandlers;
  beforeAll(() => (handlers = new ContainerLogsHandlers(source, nats)));

  it('answers a tail as ContainerLogsView, tail given as text from a query string', async () => {
    const id = await container('view', 'echo one; echo two; echo three');
    await exited(id);
    const view = await handlers.containerLogs({ containerId: id, tail: '2' }, meta(tenant));
    expect(view).toEqual({
      containerId: id,
      lines: [expect.objectContaining({ line: 'two' }), expect.objectContaining({ line: 'three' })],
    });
  });

  it("checks the tenant before anything streams: another tenant's container is not found", async () => {
    const id = await container('guarded', TICKER);
    const inbox = listen();
    await expect(
      handlers.followContainerLogs({ containerId: id, inbox: inbox.inbox }, meta(otherTenant)),
    ).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(
      handlers.followContainerLogs({ containerId: id, inbox: 'caas.events.x' }, meta(tenant)),
    ).rejects.toMatchObject({
      code: 'validation',
      extra: { violations: [expect.objectContaining({ field: 'inbox', rule: 'matches' })] },
    });
    await expect(
      handlers.followContainerLogs({ containerId: id, inbox: inbox.inbox }, meta(tenant, [])),
    ).rejects.toMatchObject({
      code: 'not_found',
    });
    expect(await handlers.followContainerLogs({ containerId: id, inbox: inbox.inbox, tail: 1 }, meta(tenant))).toEqual({
      ok: true,
    });
    await until(() => inbox.lines().length >= 2);
    handlers.onApplicationShutdown();
    expect((await inbox.ended).reason).toBe('the scheduling service is shutting down');
  });
});
