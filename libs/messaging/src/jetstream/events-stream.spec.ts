import type { JetStreamManager, NatsConnection } from 'nats';
import { StorageType, nanos } from 'nats';
import {
  DUPLICATE_WINDOW_MS,
  ensureEventsStream,
  ensureStream,
  eventsStreamConfig,
  type ManagedStreamConfig,
} from './events-stream';
import { DLQ_STREAM, EVENTS_STREAM } from './subjects';
import { connectNats, unique } from './test-kit';

jest.setTimeout(30_000);

let nc: NatsConnection;
let jsm: JetStreamManager;
const scratch: string[] = [];

beforeAll(async () => {
  nc = await connectNats();
  jsm = await nc.jetstreamManager();
});

afterAll(async () => {
  for (const name of scratch) await jsm.streams.delete(name).catch(() => undefined);
  await nc.close();
});

/** A private stream shaped like CAAS_EVENTS: changing the real one would disturb concurrent tests. */
function scratchConfig(overrides: Partial<ManagedStreamConfig> = {}): ManagedStreamConfig {
  const name = unique('SCRATCH_');
  scratch.push(name);
  return { ...eventsStreamConfig(), name, subjects: [`${name.toLowerCase()}.>`], ...overrides };
}

describe('ensureEventsStream', () => {
  it('sets up CAAS_EVENTS (file storage, 2-minute dedup, 30 days) and CAAS_DLQ, idempotently', async () => {
    await ensureEventsStream(jsm);
    await ensureEventsStream(jsm);
    const events = await jsm.streams.info(EVENTS_STREAM);
    expect(events.config).toMatchObject({
      subjects: ['caas.events.>'],
      storage: StorageType.File,
      duplicate_window: nanos(DUPLICATE_WINDOW_MS),
      max_age: nanos(30 * 24 * 3_600_000),
    });
    expect((await jsm.streams.info(DLQ_STREAM)).config).toMatchObject({
      subjects: ['caas.dlq.>'],
      storage: StorageType.File,
    });
  });

  it('creates once, tolerates concurrent starters, and leaves a matching stream untouched', async () => {
    const config = scratchConfig();
    const infos = await Promise.all([1, 2, 3].map(() => ensureStream(jsm, config)));
    expect(new Set(infos.map((info) => info.created)).size).toBe(1);
    const again = await ensureStream(jsm, config);
    expect(again.created).toBe(infos[0].created);
  });

  it('updates a setting that drifted, and fails clearly on one JetStream cannot change', async () => {
    const config = scratchConfig({ max_age: nanos(300_000) });
    await ensureStream(jsm, config);
    const updated = await ensureStream(jsm, { ...config, max_age: nanos(600_000) });
    expect(updated.config.max_age).toBe(nanos(600_000));
    await expect(ensureStream(jsm, { ...config, storage: StorageType.Memory })).rejects.toThrow(
      new RegExp(`Cannot update JetStream stream ${config.name}`),
    );
  });
});
