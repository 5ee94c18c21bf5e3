import { type RepositoryEvent, type RepositoryState, tagsOf } from './repository.events';
import { sizeOf } from './remove-repository';

/** The registry says a manifest is gone (its delete notification, or our own delete call). */
export interface RecordImageDeleted {
  readonly kind: 'RecordImageDeleted';
  readonly repositoryId: string;
  readonly digest: string;
  readonly at: string;
}

/** Every tag at that digest goes with it; a digest no tag points at (any more) records nothing. */
export function recordImageDeleted(command: RecordImageDeleted, state: RepositoryState): RepositoryEvent[] {
  const { repositoryId, digest, at } = command;
  const tags = tagsOf(state, digest);
  if (!state.exists || tags.length === 0) return [];
  const { tenantId, repository } = state;
  return [
    {
      type: 'ImageDeleted',
      data: { repositoryId, tenantId, repository, digest, tags, size: sizeOf(state, digest), at },
    },
  ];
}
