import { randomUUID } from 'node:crypto';
import { eventually } from '@caas/testing';
import { connect, type NatsConnection } from 'nats';
import type { Json } from './support/api';
import { BackgroundBash } from './support/background-bash';
import { ENGINE_SETUP_TIMEOUT_MS, dockerHosts } from './support/engines';
import { Platform } from './support/platform';
import { readmeBlock } from './support/readme';

/*
 * The README's "Subscribing to lifecycle events" block, run verbatim: the example
 * consumer under examples/ follows tenant A's container lifecycle from CAAS_EVENTS while
 * the platform (tenancy, scheduling on the local Docker engines, gateway) starts real
 * containers for tenants A and B. It prints A's events only; stopped and started again
 * with the same durable, it resumes where it was and repeats nothing.
 */

const ADMIN = { email: 'lifecycle-consumer-e2e-admin@example.com', password: 'lifecycle consumer e2e admin' };
/** Host ports of this file's own (the containers publish none, but the range is per suite). */
const PORT_RANGE = '31000-31099';
/** Placement, the engine and the relay: a reconcile round is 2 s, a busy engine takes more. */
const CONVERGE = { timeoutMs: 45_000, intervalMs: 250 };

interface TestTenant {
  readonly tenantId: string;
  readonly token: string;
  readonly environmentId: string;
}

/** One line the consumer printed. */
interface Printed {
  readonly type: string;
  readonly containerId: string;
  readonly tenantId: string;
  readonly sequence: number;
  readonly id: string;
  readonly schemaVersion: number;
}

function printed(stdout: string): Printed[] {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Printed);
}

const typesOf = (lines: readonly Printed[], containerId: string) =>
  lines.filter((line) => line.containerId === containerId).map((line) => line.type);

describe('the README lifecycle consumer (examples/lifecycle-consumer) on a platform starting real containers', () => {
  let platform: Platform;
  let nc: NatsConnection;
  const consumers: BackgroundBash[] = [];

  beforeAll(async () => {
    platform = await Platform.start({
      admin: ADMIN,
      gatewayEnv: { RPC_TIMEOUT_MS: '15000' },
      scheduling: { bootstrapHosts: await dockerHosts(), portRange: PORT_RANGE },
    });
    nc = await connect({ servers: platform.nats.url });
  }, ENGINE_SETUP_TIMEOUT_MS + 120_000);

  afterAll(async () => {
    await Promise.all(consumers.map((consumer) => consumer.kill()));
    await nc?.close();
    await platform?.stop();
  }, 60_000);

  async function newTenant(label: string): Promise<TestTenant> {
    const owner = await platform.api.signUp(label);
    const { tenantId, token } = await platform.api.createTenant(owner.token);
    const environment = await platform.api.expect(201, 'POST', '/v1/environments', {
      token,
      body: { name: 'production' },
    });
    return { tenantId, token, environmentId: environment.body.environmentId };
  }

  /** A running container (sh traps TERM, so a stop does not wait for the kill timeout). */
  async function runningContainer(tenant: TestTenant): Promise<string> {
    const created = await platform.api.expect(201, 'POST', '/v1/containers', {
      token: tenant.token,
      body: {
        environmentId: tenant.environmentId,
        image: 'caas/busybox:1',
        command: ['sh', '-c', "trap 'exit 0' TERM; sleep 3600 & wait"],
        resources: { cpus: 0.1, memoryMb: 32 },
      },
    });
    const containerId: string = created.body.containerId;
    await containerWhen(tenant, containerId, 'running');
    return containerId;
  }

  async function containerWhen(tenant: TestTenant, containerId: string, status: string): Promise<void> {
    const view = await eventually(
      () => platform.api.call('GET', `/v1/containers/${containerId}`, { token: tenant.token }),
      (seen) => seen.status === 200 && (seen.body as Json).status === status,
      CONVERGE,
    );
    expect(view.body).toEqual(expect.objectContaining({ containerId, status }));
  }

  /** The README block, with the platform's NATS and tenant A: the only inputs a reader sets. */
  function startConsumer(tenantId: string, durable: string): BackgroundBash {
    const consumer = BackgroundBash.start(readmeBlock('lifecycle-consumer'), {
      NATS_URL: platform.nats.url,
      TENANT_ID: tenantId,
      DURABLE: durable,
    });
    consumers.push(consumer);
    return consumer;
  }

  /** The consumer's lines once `done` holds for them (or the last ones, for the assertion). */
  async function printedWhen(consumer: BackgroundBash, done: (lines: Printed[]) => boolean): Promise<Printed[]> {
    const lines = await eventually(async () => printed(consumer.stdout), done, CONVERGE);
    if (!done(lines)) {
      throw new Error(
        `The consumer did not print what was expected.\n--- stdout ---\n${consumer.stdout}\n--- stderr ---\n${consumer.stderr}`,
      );
    }
    return lines;
  }

  it("prints tenant A's container lifecycle only, and resumes after SIGTERM with the same durable without repeating an event", async () => {
    const [tenantA, tenantB] = await Promise.all([newTenant('lifecycle-a'), newTenant('lifecycle-b')]);
    const durable = `lifecycle-e2e-${randomUUID().slice(0, 8)}`;
    const first = startConsumer(tenantA.tenantId, durable);

    // B's container first, and its ContainerStarted published before A's container
    // exists: the consumer reads in stream order, so by the time it prints A's events it
    // has read (and must have skipped) B's.
    const containerB = await runningContainer(tenantB);
    const jsm = await nc.jetstreamManager();
    const lastStarted = await eventually(
      () => jsm.streams.getMessage('CAAS_EVENTS', { last_by_subj: 'caas.events.scheduling.ContainerStarted' }),
      (message) => message.header.get('Caas-Tenant-Id') === tenantB.tenantId,
      CONVERGE,
    );
    expect(lastStarted.header.get('Caas-Tenant-Id')).toBe(tenantB.tenantId);
    expect(lastStarted.json<Json>().data.containerId).toBe(containerB);

    const containerA = await runningContainer(tenantA);
    const beforeStop = await printedWhen(first, (lines) =>
      ['ContainerScheduled', 'ContainerStarted'].every((type) => typesOf(lines, containerA).includes(type)),
    );
    const [scheduled, started] = ['ContainerScheduled', 'ContainerStarted'].map((type) =>
      beforeStop.find((line) => line.containerId === containerA && line.type === type),
    );
    expect(scheduled!.sequence).toBeLessThan(started!.sequence);
    expect(beforeStop.every((line) => line.tenantId === tenantA.tenantId && line.schemaVersion === 1)).toBe(true);
    expect(typesOf(beforeStop, containerB)).toEqual([]);

    const stopped = await first.terminate('SIGTERM');
    expect(stopped.stderr).toContain('lifecycle-consumer: stopped');
    const firstRun = printed(stopped.stdout);

    await platform.api.expect(200, 'POST', `/v1/containers/${containerA}/stop`, { token: tenantA.token });
    await containerWhen(tenantA, containerA, 'stopped');

    const second = startConsumer(tenantA.tenantId, durable);
    const secondRun = await printedWhen(second, (lines) => typesOf(lines, containerA).includes('ContainerStopped'));
    expect(typesOf(secondRun, containerA)).toEqual(
      expect.arrayContaining(['ContainerStopRequested', 'ContainerStopped']),
    );
    expect(typesOf(secondRun, containerA)).not.toContain('ContainerStarted');
    const ids = [...firstRun, ...secondRun].map((line) => line.id);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    expect(secondRun.every((line) => line.tenantId === tenantA.tenantId)).toBe(true);

    const end = await second.terminate('SIGTERM');
    expect(end.stderr).toContain('lifecycle-consumer: stopped');
  }, 240_000);
});
