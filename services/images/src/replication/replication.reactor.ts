import type { ImagesEvent, ReplicationEvent } from '@caas/contracts';
import { loadState, recordedAs } from '@caas/domain';
import { type EventStore, type RecordedEvent, categoryOf } from '@caas/event-store';
import { ReadModelConsumer } from '@caas/read-model';
import type { DataSource, EntityManager } from 'typeorm';
import { repositoryDecider } from '../repository/repository.decider';
import { repositoryStream } from '../repository/repository.events';
import { ReplicationTargetRow, ReplicationWorkRow, enqueueCopy } from './replication-work';

/**
 * Checkpoint name. Shared by every instance (one of them handles each event) and kept
 * across restarts; a new name (v2) would go through every push again, which does no
 * harm (copies are idempotent) but costs time.
 */
export const REPLICATION_REACTOR = 'images-replication-reactor-v1';

/**
 * Turns events into copies to make: a replication created queues every current tag of
 * its repository, a push queues its tag for each replication of the repository, a
 * replication removed drops what it still had queued. Queued rows commit with the
 * checkpoint, so nothing is lost between an event and its copy; the worker makes them.
 */
export function startReplicationReactor(
  store: EventStore,
  dataSource: DataSource,
  onError: (error: unknown) => void,
): Promise<ReadModelConsumer> {
  return ReadModelConsumer.start(store, dataSource, {
    name: REPLICATION_REACTOR,
    filter: { categories: ['repository', 'replication'] },
    handle: (event, manager) => react(store, event, manager),
    onError,
  });
}

async function react(store: EventStore, recorded: RecordedEvent, manager: EntityManager): Promise<void> {
  if (categoryOf(recorded.streamId) === 'replication') {
    const event = recordedAs<ReplicationEvent>(recorded);
    if (event.type === 'ReplicationCreated') {
      const { replicationId, repositoryId, sourceRegistry } = event.data;
      await manager.upsert(ReplicationTargetRow, { replicationId, repositoryId, sourceRegistry }, ['replicationId']);
      // The repository as it is now, not as it was at this event: a push in between is
      // queued here and again by its own event, which changes nothing (same digest).
      const { state } = await loadState(store, repositoryDecider, repositoryStream(repositoryId));
      for (const [tag, { digest }] of Object.entries(state.exists ? state.tags : {})) {
        await enqueueCopy(manager, { replicationId, tag, digest, sourceRegistry });
      }
    } else if (event.type === 'ReplicationRemoved') {
      const { replicationId } = event.data;
      await manager.delete(ReplicationWorkRow, { replicationId });
      await manager.delete(ReplicationTargetRow, { replicationId });
    }
    return;
  }
  const event = recordedAs<ImagesEvent>(recorded);
  if (event.type !== 'ImagePushed') return;
  const { repositoryId, tag, digest } = event.data;
  const targets = await manager.findBy(ReplicationTargetRow, { repositoryId });
  for (const { replicationId, sourceRegistry } of targets) {
    await enqueueCopy(manager, { replicationId, tag, digest, sourceRegistry });
  }
}
