import { WRITING_ROLES } from '@caas/contracts';
import { type RepositoryEvent, type RepositoryState, createdByImage } from './repository.events';
import { type RepositoryCaller, requireRole } from './repository.guards';

/**
 * An image copied from another registry into the caller's namespace. The handler has
 * copied it (by digest, untagged) before deciding; it tags it once this is recorded, so
 * the registry's push notification (ImagePushed) always comes after ImageImported.
 */
export interface RecordImageImported {
  readonly kind: 'RecordImageImported';
  readonly caller: RepositoryCaller;
  readonly repositoryId: string;
  /** `<tenantId>/<path>`: the handler puts the caller's namespace in front. */
  readonly repository: string;
  readonly tag: string;
  readonly digest: string;
  /** The reference it was copied from, without credentials. */
  readonly source: string;
  readonly size: number;
  readonly at: string;
}

/**
 * Writers only. A new name is created (private, origin 'import'). The same tag imported
 * again at the same digest, with the tag not moved since, records nothing: a retried
 * import is one import.
 */
export function recordImageImported(command: RecordImageImported, state: RepositoryState): RepositoryEvent[] {
  const { caller, repositoryId, repository, tag, digest, source, size, at } = command;
  requireRole(caller, WRITING_ROLES, 'import images');
  const { tenantId } = caller;
  if (state.exists && state.imported[tag] === digest && (state.tags[tag]?.digest ?? digest) === digest) return [];
  const created = createdByImage(state, { repositoryId, tenantId, repository }, 'import', at);
  return [
    ...created,
    { type: 'ImageImported', data: { repositoryId, tenantId, repository, tag, digest, source, size, at } },
  ];
}
