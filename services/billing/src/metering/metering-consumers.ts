import type { EventStore } from '@caas/event-store';
import type { JetStreamConsumer } from '@caas/messaging';
import type { NatsConnection } from 'nats';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { imagesFacts } from './images.consumer';
import { lifecycleFacts } from './lifecycle.consumer';
import { meterFactsConsumer } from './meter-facts.consumer';
import { tenancyFacts } from './tenancy.consumer';

/**
 * Starts billing's three durable consumers: scheduling's lifecycle facts, tenancy's plans
 * and deletions, the registry's images. Each context has its own durable so one context's
 * backlog or poison message never holds up another's facts. If one fails to start, the
 * ones already started are stopped before the error is thrown.
 */
export async function startMeteringConsumers(
  nc: NatsConnection,
  pool: Pool,
  store: EventStore,
  dataSource: DataSource,
): Promise<JetStreamConsumer[]> {
  const deps = { nc, pool, store };
  const consumers = [lifecycleFacts(dataSource), tenancyFacts, imagesFacts].map((source) =>
    meterFactsConsumer(deps, source),
  );
  const started: JetStreamConsumer[] = [];
  try {
    for (const consumer of consumers) {
      await consumer.start();
      started.push(consumer);
    }
  } catch (error) {
    await Promise.allSettled(started.map((consumer) => consumer.stop()));
    throw error;
  }
  return consumers;
}

/**
 * Facts the consumers have not recorded yet, all contexts together: the billing clock's
 * `backlog`. A billing that was down finds the facts of the hours it missed waiting here,
 * and must record them before it closes those hours.
 */
export async function meteringBacklog(consumers: readonly JetStreamConsumer[]): Promise<number> {
  const pending = await Promise.all(consumers.map((consumer) => consumer.pending()));
  return pending.reduce((sum, count) => sum + count, 0);
}
