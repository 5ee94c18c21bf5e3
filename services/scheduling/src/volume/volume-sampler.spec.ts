import { randomUUID } from 'node:crypto';
import { SYSTEM_ACTOR, type VolumeMeasuredData } from '@caas/contracts';
import { handleCommand } from '@caas/domain';
import { type EventStore, PostgresEventStore, StreamNotFoundError } from '@caas/event-store';
import { type ScratchDatabase, createScratchDatabase } from '@caas/testing';
import { ClusterState } from '../cluster/cluster-state';
import { HostDrivers } from '../cluster/host-drivers';
import { hostDecider } from '../host/host.decider';
import { hostStream } from '../host/host.events';
import { tenantVolumeName } from '../policy/names';
import { systemContext } from '../reconciler/system-commands';
import { DockerHostDriver, HostUnreachableError } from '../runtime/docker';
import {
  ENGINE_SETUP_TIMEOUT_MS,
  IMAGE,
  TEST_RUN_LABEL,
  cleanUp,
  dockerHosts,
  newRunId,
  rawDocker,
} from '../runtime/docker/test-support/engines';
import { nowIso } from '../shared/time';
import { volumeDecider } from './volume.decider';
import { volumeId, volumeStream } from './volume.events';
import { VolumeSampler } from './volume-sampler';

// Against a real engine (infra/local/docker.sh) and a real PostgreSQL event store on a
// scratch database of its own: the sampler measures every host registered in its store.
const runId = newRunId();
const tenantId = randomUUID();
const errors: unknown[] = [];
const samplers: VolumeSampler[] = [];
const ONE_MB = 1_000_000;
let endpoint: string;
let database: ScratchDatabase;
let store: EventStore;
let cluster: ClusterState;
let drivers: HostDrivers;
let driver: DockerHostDriver;
let hostId: string;
let silentHostId: string;

beforeAll(async () => {
  [endpoint] = (await dockerHosts()) as [string];
  driver = new DockerHostDriver({ endpoint });
  database = await createScratchDatabase('caas_volume');
  store = await PostgresEventStore.connect({ connectionString: database.url });
  cluster = await ClusterState.start(store, (error) => errors.push(error));
  drivers = new HostDrivers(store, cluster);
  hostId = await registerHost(endpoint, (await driver.info()).capacity);
  // Registered, up as far as the store knows, but no engine listens there.
  silentHostId = await registerHost(`unix:///tmp/caas-no-engine-${runId}.sock`, { cpus: 1, memoryMb: 1_024 });
}, ENGINE_SETUP_TIMEOUT_MS);

afterAll(async () => {
  await Promise.all(samplers.map((sampler) => sampler.stop()));
  await cluster?.stop();
  await store?.close();
  await database?.drop();
  if (!endpoint) return;
  await cleanUp(endpoint, runId);
  const { Volumes } = await rawDocker(endpoint).listVolumes();
  const ours = (Volumes ?? []).filter((volume) => volume.Name.startsWith(`caas-${tenantId}-`));
  await Promise.all(ours.map((volume) => rawDocker(endpoint).getVolume(volume.Name).remove({ force: true })));
});

async function registerHost(endpointOfHost: string, capacity: { cpus: number; memoryMb: number }): Promise<string> {
  const id = randomUUID();
  const command = {
    kind: 'RegisterHost',
    hostId: id,
    roles: ['platform-admin'],
    endpoint: endpointOfHost,
    labels: {},
    environmentId: randomUUID(),
    capacity,
    at: nowIso(),
  } as const;
  const result = await handleCommand(store, hostDecider, hostStream(id), command, systemContext(null));
  cluster.apply('host', id, result.state, result.nextExpectedRevision);
  return id;
}

async function startSampler(): Promise<VolumeSampler> {
  // An hour: every round in these specs is asked for with sampleOnce.
  const sampler = await VolumeSampler.start({
    store,
    cluster,
    driverFor: (id) => drivers.get(id),
    intervalMs: 3_600_000,
    onError: (error) => errors.push(error),
  });
  samplers.push(sampler);
  return sampler;
}

/** A tenant volume on the engine with about 1 MB in it, written by a container. */
async function volumeWithOneMegabyte(name: string): Promise<string> {
  const engineName = tenantVolumeName(tenantId, name);
  await driver.ensureVolume(engineName, tenantId);
  const docker = rawDocker(endpoint);
  const writer = await docker.createContainer({
    name: `caas-${runId}-${name}-writer`,
    Image: IMAGE,
    Cmd: ['dd', 'if=/dev/urandom', 'of=/data/blob', 'bs=1024', 'count=1024'],
    Labels: { [TEST_RUN_LABEL]: runId },
    HostConfig: { NetworkMode: 'none', Mounts: [{ Type: 'volume', Source: engineName, Target: '/data' }] },
  });
  await writer.start();
  const { StatusCode } = (await writer.wait()) as { StatusCode: number };
  expect(StatusCode).toBe(0);
  await writer.remove();
  return engineName;
}

async function measurements(engineName: string): Promise<VolumeMeasuredData[]> {
  const found: VolumeMeasuredData[] = [];
  try {
    for await (const event of store.readStream(volumeStream(volumeId(hostId, engineName)))) {
      expect(event.type).toBe('VolumeMeasured');
      expect(event.metadata).toMatchObject({ tenantId, actor: SYSTEM_ACTOR });
      found.push(event.data as VolumeMeasuredData);
    }
  } catch (error) {
    if (!(error instanceof StreamNotFoundError)) throw error;
  }
  return found;
}

describe('the volume sampler', () => {
  it('records a tenant volume once, then nothing while it is unchanged, then 0 when it is gone', async () => {
    const sampler = await startSampler();
    const engineName = await volumeWithOneMegabyte('data');

    const first = await sampler.sampleOnce();
    expect(first.sampled).toContain(hostId);
    const [measured, ...more] = await measurements(engineName);
    expect(more).toEqual([]);
    expect(measured).toMatchObject({ tenantId, hostId, volumeName: 'data' });
    expect(measured!.sizeBytes).toBeGreaterThanOrEqual(ONE_MB);
    expect(Date.parse(measured!.measuredAt)).not.toBeNaN();

    const second = await sampler.sampleOnce();
    expect(second.sampled).toContain(hostId);
    expect(await measurements(engineName)).toHaveLength(1);

    expect(await driver.removeVolume(engineName)).toBe(true);
    await sampler.sampleOnce();
    const afterRemoval = await measurements(engineName);
    expect(afterRemoval).toHaveLength(2);
    expect(afterRemoval[1]).toMatchObject({ tenantId, hostId, volumeName: 'data', sizeBytes: 0 });

    await sampler.sampleOnce();
    expect(await measurements(engineName)).toHaveLength(2);
  });

  it('zeroes a volume removed while no sampler ran: what a host had comes from the store', async () => {
    const before = await startSampler();
    const engineName = await volumeWithOneMegabyte('cache');
    await before.sampleOnce();
    expect(await measurements(engineName)).toHaveLength(1);
    await before.stop();

    expect(await driver.removeVolume(engineName)).toBe(true);
    const restarted = await startSampler();
    await restarted.sampleOnce();
    expect((await measurements(engineName)).map((m) => m.sizeBytes)).toEqual([expect.any(Number), 0]);
  });

  it('skips a host whose engine does not answer, without zeroing its volumes', async () => {
    const engineName = tenantVolumeName(tenantId, 'elsewhere');
    const stream = volumeStream(volumeId(silentHostId, engineName));
    const command = {
      kind: 'RecordVolumeSize',
      tenantId,
      hostId: silentHostId,
      volumeName: 'elsewhere',
      sizeBytes: 5_000,
      at: nowIso(),
    } as const;
    await handleCommand(store, volumeDecider, stream, command, systemContext(tenantId));
    const sampler = await startSampler();
    errors.length = 0;

    const round = await sampler.sampleOnce();
    expect(round.skipped).toEqual([silentHostId]);
    expect(round.sampled).toEqual([hostId]);
    expect(errors).toEqual([expect.any(HostUnreachableError)]);
    const events = [];
    for await (const event of store.readStream(stream)) events.push(event.data);
    expect(events).toEqual([expect.objectContaining({ sizeBytes: 5_000 })]);
  });
});
