import type { EventStore } from '@caas/event-store';
import type { ReadModelConsumer } from '@caas/read-model';
import type { DataSource } from 'typeorm';
import type { RegistryAdmin } from '../registry/registry-admin';
import type { ReplicationCredentials } from './replication-credentials';
import { startReplicationReactor } from './replication.reactor';
import { startReplicationReadModel } from './replication.read-model';
import { ReplicationWorker } from './replication.worker';

export interface RunningReplication {
  /** The replications view, for read-your-writes. */
  readonly readModel: ReadModelConsumer;
  stop(): Promise<void>;
}

/** The view, the reactor that queues copies, and the worker that makes them. */
export async function startReplication(
  store: EventStore,
  dataSource: DataSource,
  registry: RegistryAdmin,
  credentials: ReplicationCredentials,
  onError: (what: string, error: unknown) => void,
): Promise<RunningReplication> {
  const readModel = await startReplicationReadModel(store, dataSource, (error) => onError('read model', error));
  const reactor = await startReplicationReactor(store, dataSource, (error) => onError('reactor', error)).catch(
    async (error: unknown) => {
      await readModel.stop();
      throw error;
    },
  );
  const worker = new ReplicationWorker(store, dataSource, registry, credentials, {
    onError: (error) => onError('worker', error),
  });
  worker.start();
  await readModel.caughtUp();
  return {
    readModel,
    stop: async () => {
      await worker.stop();
      await reactor.stop();
      await readModel.stop();
    },
  };
}
