import {
  DiscardPolicy,
  type JetStreamManager,
  nanos,
  RetentionPolicy,
  StorageType,
  type StreamConfig,
  type StreamInfo,
} from 'nats';
import { JS_ERR, errorMessage, jetStreamErrorCode } from './nats-errors';
import { DLQ_STREAM, DLQ_SUBJECTS, EVENTS_STREAM, EVENTS_SUBJECTS } from './subjects';

/** JetStream drops a message whose Nats-Msg-Id it has seen within this window (relay re-publication after a crash). */
export const DUPLICATE_WINDOW_MS = 2 * 60_000;
const DAY_MS = 24 * 60 * 60_000;

export interface EventsStreamOptions {
  /** How long integration events stay replayable (default 30 days): a new consumer can start this far back. */
  readonly maxAgeMs?: number;
  /** Dead letters wait for a human, so they are kept longer (default 90 days). */
  readonly deadLetterMaxAgeMs?: number;
  /** 1 locally, 3 on a production cluster. */
  readonly replicas?: number;
}

/** The settings we own; anything else on the stream (set by an operator) is left alone. */
export type ManagedStreamConfig = Pick<
  StreamConfig,
  'name' | 'subjects' | 'storage' | 'retention' | 'discard' | 'duplicate_window' | 'max_age' | 'num_replicas'
>;

export function eventsStreamConfig(options: EventsStreamOptions = {}): ManagedStreamConfig {
  return {
    name: EVENTS_STREAM,
    subjects: [EVENTS_SUBJECTS],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    discard: DiscardPolicy.Old,
    duplicate_window: nanos(DUPLICATE_WINDOW_MS),
    max_age: nanos(options.maxAgeMs ?? 30 * DAY_MS),
    num_replicas: options.replicas ?? 1,
  };
}

export function deadLetterStreamConfig(options: EventsStreamOptions = {}): ManagedStreamConfig {
  return {
    name: DLQ_STREAM,
    subjects: [DLQ_SUBJECTS],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    discard: DiscardPolicy.Old,
    // Dead-letter publications carry `<durable>:<event id>` as msg id, so a consumer that
    // crashes between dead-lettering and terminating a message does not file it twice.
    duplicate_window: nanos(DUPLICATE_WINDOW_MS),
    max_age: nanos(options.deadLetterMaxAgeMs ?? 90 * DAY_MS),
    num_replicas: options.replicas ?? 1,
  };
}

/**
 * Creates or updates CAAS_EVENTS and its dead-letter stream CAAS_DLQ. Idempotent and safe
 * to call from every service instance at boot, concurrently: it only writes when a
 * managed setting differs. Fails (rather than recreating) when the server refuses an
 * update, e.g. a storage type change, since recreating would delete the events.
 */
export async function ensureEventsStream(jsm: JetStreamManager, options: EventsStreamOptions = {}): Promise<void> {
  await ensureStream(jsm, eventsStreamConfig(options));
  await ensureStream(jsm, deadLetterStreamConfig(options));
}

/** Creates the stream, or updates the managed settings that differ; returns its info. */
export async function ensureStream(jsm: JetStreamManager, desired: ManagedStreamConfig): Promise<StreamInfo> {
  // Two attempts: a concurrent starter may create the stream between our lookup and our add.
  for (let attempt = 1; ; attempt += 1) {
    const existing = await jsm.streams.info(desired.name).catch((error: unknown) => {
      if (jetStreamErrorCode(error) === JS_ERR.STREAM_NOT_FOUND) return undefined;
      throw error;
    });
    if (existing) {
      if (!differs(existing.config, desired)) return existing;
      const { name, ...update } = desired;
      return jsm.streams.update(name, update).catch((error: unknown) => {
        throw new Error(`Cannot update JetStream stream ${name}: ${errorMessage(error)}`, { cause: error });
      });
    }
    try {
      return await jsm.streams.add(desired);
    } catch (error) {
      if (attempt >= 2 || jetStreamErrorCode(error) !== JS_ERR.STREAM_NAME_IN_USE) throw error;
    }
  }
}

function differs(actual: StreamConfig, desired: ManagedStreamConfig): boolean {
  return (Object.keys(desired) as Array<keyof ManagedStreamConfig>).some((key) =>
    key === 'subjects'
      ? [...(actual.subjects ?? [])].sort().join(' ') !== [...desired.subjects].sort().join(' ')
      : actual[key] !== desired[key],
  );
}
