import { type RepositoryEvent, type RepositoryState, createdByImage } from './repository.events';

/** The registry says a tag now points at a manifest (its push notification). */
export interface RecordImagePushed {
  readonly kind: 'RecordImagePushed';
  readonly repositoryId: string;
  /** Whose namespace it is: the tenant, or null for the market (`library/…`). */
  readonly tenantId: string | null;
  readonly repository: string;
  readonly tag: string;
  readonly digest: string;
  readonly mediaType: string;
  readonly size: number;
  readonly pushedAt: string;
  readonly pushedBy: string;
}

/**
 * A first push creates the repository (private, as Harbor and Docker Hub do). A tag
 * already at this digest, or moved since by a later push, records nothing: the registry
 * redelivers notifications, and not always in order.
 */
export function recordImagePushed(command: RecordImagePushed, state: RepositoryState): RepositoryEvent[] {
  const { repositoryId, tenantId, repository, tag, digest, mediaType, size, pushedAt, pushedBy } = command;
  const known = state.exists ? state.tags[tag] : undefined;
  if (known && (known.digest === digest || known.pushedAt > pushedAt)) return [];
  const created = createdByImage(state, { repositoryId, tenantId, repository }, 'push', pushedAt);
  return [
    ...created,
    {
      type: 'ImagePushed',
      data: { repositoryId, tenantId, repository, tag, digest, mediaType, size, pushedAt, pushedBy },
    },
  ];
}
