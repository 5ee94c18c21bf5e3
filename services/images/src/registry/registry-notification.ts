import type { RegistryNotificationEventV1 } from '@caas/contracts';
import { namespaceOf } from './registry-access';
import { MAX_REPOSITORY_NAME, REPOSITORY_NAME } from './registry-scope';

/** Manifest media types: a push of one of these (with a tag) is an image pushed; blobs are not. */
export const MANIFEST_MEDIA_TYPES = new Set([
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.v1+prettyjws',
]);

export type RegistryFact =
  | {
      readonly kind: 'pushed';
      readonly eventId: string;
      readonly repository: string;
      readonly tenantId: string | null;
      readonly tag: string;
      readonly digest: string;
      readonly mediaType: string;
      readonly at: string;
      readonly by: string;
    }
  | {
      readonly kind: 'deleted';
      readonly eventId: string;
      readonly repository: string;
      readonly tenantId: string | null;
      readonly digest: string;
      readonly at: string;
    };

const DIGEST = /^sha256:[0-9a-f]{64}$/;

/**
 * What the platform records from one registry notification event: a tagged manifest
 * pushed, or a manifest deleted. Everything else (pulls, blob pushes, mounts, manifests
 * pushed by digest only, names outside any namespace) is nothing to record.
 */
export function registryFactOf(event: RegistryNotificationEventV1): RegistryFact | undefined {
  const target = event.target ?? {};
  const repository = text(target.repository);
  const digest = text(target.digest);
  if (!repository || repository.length > MAX_REPOSITORY_NAME || !REPOSITORY_NAME.test(repository)) return undefined;
  if (!DIGEST.test(digest)) return undefined;
  const namespace = namespaceOf(repository);
  if (!namespace) return undefined;
  const time = new Date(event.timestamp);
  if (Number.isNaN(time.getTime())) return undefined;
  const at = time.toISOString();
  const tenantId = namespace.kind === 'tenant' ? namespace.tenantId : null;
  if (event.action === 'delete') return { kind: 'deleted', eventId: event.id, repository, tenantId, digest, at };
  const mediaType = text(target.mediaType);
  const tag = text(target.tag);
  if (event.action !== 'push' || !MANIFEST_MEDIA_TYPES.has(mediaType) || !tag) return undefined;
  return {
    kind: 'pushed',
    eventId: event.id,
    repository,
    tenantId,
    tag,
    digest,
    mediaType,
    at,
    by: text(event.actor?.name),
  };
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
