import { AckPolicy, type ConsumerConfig, type ConsumerInfo, DeliverPolicy, type JetStreamManager, nanos } from 'nats';
import { JS_ERR, jetStreamErrorCode } from './nats-errors';
import { EVENTS_STREAM, assertSubjectToken, isEventsFilter } from './subjects';

export interface DurableConsumerSettings {
  readonly durable: string;
  readonly filterSubjects: readonly string[];
  readonly ackWaitMs: number;
  /** Only applies when the consumer is created; JetStream cannot change it later. */
  readonly deliverPolicy: 'all' | 'new';
}

/**
 * Creates the durable pull consumer on CAAS_EVENTS, or updates its filter and ack wait.
 *
 * Filters: one subject becomes `filter_subject`, which every server supports. Several
 * become `filter_subjects`, which needs NATS ≥ 2.10; on an older server this throws
 * rather than quietly creating one consumer per subject, because separate consumers
 * would lose the stream order between the subjects (a TenantCreated could be handled
 * after the TenantSuspended that follows it). Use one wildcard instead
 * (`caas.events.tenancy.>`), or upgrade the server.
 *
 * `max_deliver` is unlimited on the server: JetStreamConsumer counts deliveries itself
 * and dead-letters after its own `maxDeliver` handler failures. A server-side limit would
 * silently drop a message whose last delivery timed out (consumer crashed, ack lost, or
 * PostgreSQL was down) — no dead letter, no trace but an advisory.
 */
export async function ensureDurableConsumer(
  jsm: JetStreamManager,
  serverVersion: string | undefined,
  settings: DurableConsumerSettings,
): Promise<ConsumerInfo> {
  const { durable, filterSubjects, ackWaitMs } = settings;
  assertSubjectToken('Durable name', durable);
  if (filterSubjects.length === 0) throw new Error(`Consumer '${durable}' needs at least one filter subject`);
  for (const subject of filterSubjects) {
    if (!isEventsFilter(subject)) throw new Error(`Consumer '${durable}': '${subject}' is not a caas.events.> subject`);
  }
  if (filterSubjects.length > 1 && !atLeast(serverVersion, [2, 10, 0])) {
    throw new Error(
      `Consumer '${durable}': several filter subjects need NATS server 2.10 or later (this one is ` +
        `${serverVersion ?? 'unknown'}). Use one wildcard subject, e.g. 'caas.events.<context>.>', instead.`,
    );
  }
  const filter: Pick<ConsumerConfig, 'filter_subject' | 'filter_subjects'> =
    filterSubjects.length === 1
      ? { filter_subject: filterSubjects[0], filter_subjects: undefined }
      : { filter_subject: undefined, filter_subjects: [...filterSubjects] };
  const managed = { ...filter, ack_wait: nanos(ackWaitMs), max_deliver: -1 };

  const existing = await jsm.consumers.info(EVENTS_STREAM, durable).catch((error: unknown) => {
    if (jetStreamErrorCode(error) === JS_ERR.CONSUMER_NOT_FOUND) return undefined;
    throw error;
  });
  if (!existing) {
    return jsm.consumers.add(EVENTS_STREAM, {
      ...managed,
      durable_name: durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: settings.deliverPolicy === 'new' ? DeliverPolicy.New : DeliverPolicy.All,
    });
  }
  if (existing.config.ack_policy !== AckPolicy.Explicit) {
    throw new Error(`Consumer '${durable}' exists with ack policy '${existing.config.ack_policy}', not explicit`);
  }
  const current = existing.config;
  const unchanged =
    current.ack_wait === managed.ack_wait &&
    current.max_deliver === managed.max_deliver &&
    sameSubjects(current.filter_subject ? [current.filter_subject] : (current.filter_subjects ?? []), filterSubjects);
  return unchanged ? existing : jsm.consumers.update(EVENTS_STREAM, durable, managed);
}

function sameSubjects(a: readonly string[], b: readonly string[]): boolean {
  return [...a].sort().join(' ') === [...b].sort().join(' ');
}

function atLeast(version: string | undefined, minimum: readonly number[]): boolean {
  const parts = /^(\d+)\.(\d+)\.(\d+)/
    .exec(version ?? '')
    ?.slice(1)
    .map(Number);
  if (!parts) return false;
  for (let i = 0; i < minimum.length; i += 1) if (parts[i] !== minimum[i]) return parts[i] > minimum[i];
  return true;
}
