import { type ReplicationEvent, type ReplicationState, targetReference } from './replication.events';

/** The worker copied `digest` to the target under `tag`. */
export interface RecordImageReplicated {
  readonly kind: 'RecordImageReplicated';
  readonly replicationId: string;
  readonly tag: string;
  readonly digest: string;
  readonly at: string;
}

/**
 * Idempotent by (replication, tag, digest): a copy repeated after a crash, or a tag
 * replicated again at the same digest, records nothing. A removed replication records
 * nothing either (a copy that was already under way when it was removed).
 */
export function recordImageReplicated(command: RecordImageReplicated, state: ReplicationState): ReplicationEvent[] {
  const { replicationId, tag, digest, at } = command;
  if (!state.exists || state.replicated[tag] === digest) return [];
  const { tenantId, repositoryId, repository } = state;
  return [
    {
      type: 'ImageReplicated',
      data: { replicationId, tenantId, repositoryId, repository, tag, digest, target: targetReference(state, tag), at },
    },
  ];
}
