import { randomUUID } from 'node:crypto';
import type { SchedulingEventData } from '@caas/contracts';
import { type EventStore, PostgresEventStore, type RecordedEvent } from '@caas/event-store';
import type { ReadModelConsumer } from '@caas/read-model';
import type { DataSource } from 'typeorm';
import { openSchedulingDatabase } from './scheduling-database';
import { projectWorkloadEvent, startWorkloadReadModel } from './workload-read-model';

/**
 * Specs of the workload read model: a real PostgreSQL event store and read model, and
 * events appended as the deciders would record them (data built here, so the specs
 * test the projection, not the deciders).
 */
export interface WorkloadTestBed {
  readonly store: EventStore;
  readonly dataSource: DataSource;
  /** Appends to a stream and waits until the read model has applied it. */
  append(stream: string, events: readonly { type: string; data: unknown }[]): Promise<void>;
  /** Applies a stream's events again, as a redelivery would. */
  redeliver(stream: string): Promise<void>;
  close(): Promise<void>;
}

export async function openWorkloadTestBed(): Promise<WorkloadTestBed> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set: start the infrastructure with `npm run infra:up`');
  const store = await PostgresEventStore.connect({ connectionString: url });
  const dataSource = await openSchedulingDatabase(url);
  const readModel: ReadModelConsumer = await startWorkloadReadModel(store, dataSource);
  const readStream = async (stream: string) => {
    const events: RecordedEvent[] = [];
    for await (const event of store.readStream(stream)) events.push(event);
    return events;
  };
  return {
    store,
    dataSource,
    async append(stream, events) {
      const { position } = await store.appendToStream(
        stream,
        events.map(({ type, data }) => ({ id: randomUUID(), type, data })),
      );
      await readModel.waitFor(position);
    },
    async redeliver(stream) {
      const events = await readStream(stream);
      await dataSource.transaction(async (manager) => {
        for (const event of events) await projectWorkloadEvent(event, manager);
      });
    },
    async close() {
      await readModel.stop();
      await dataSource.destroy();
      await store.close();
    },
  };
}

export const at = (seconds: number) => new Date(Date.UTC(2026, 10, 22, 10, 0, seconds)).toISOString();

export interface ContainerIds {
  readonly tenantId: string;
  readonly environmentId: string;
  readonly containerId: string;
  readonly serviceId?: string | null;
  readonly replica?: number | null;
  readonly hostId?: string;
}

export const resources = { cpus: 0.5, memoryMb: 256, pidsLimit: 512 };

/** The fact every container event carries. */
export function fact(ids: ContainerIds, seconds: number) {
  return {
    tenantId: ids.tenantId,
    environmentId: ids.environmentId,
    containerId: ids.containerId,
    serviceId: ids.serviceId ?? null,
    replica: ids.replica ?? null,
    hostId: ids.hostId ?? 'host-1',
    resources,
    at: at(seconds),
  };
}

export function scheduled(ids: ContainerIds, seconds = 0): SchedulingEventData<'ContainerScheduled'> {
  return {
    ...fact(ids, seconds),
    image: 'caas/busybox:1',
    ports: [{ containerPort: 80, protocol: 'tcp', hostPort: 30080, hostIp: '127.0.0.1' }],
    reason: 'spread: least allocated of 1 candidates',
  };
}

export const newIds = (extra: Partial<ContainerIds> = {}): ContainerIds => ({
  tenantId: randomUUID(),
  environmentId: randomUUID(),
  containerId: randomUUID(),
  ...extra,
});
