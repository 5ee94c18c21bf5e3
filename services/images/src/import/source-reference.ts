import { REGISTRY_REPOSITORY, TAG, invalid } from '@caas/contracts';

/** An image in another registry, as an import names it. */
export interface SourceReference {
  /** `host[:port]` */
  readonly registry: string;
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
  /** What to fetch: the digest when given (it pins the image), else the tag, else `latest`. */
  readonly reference: string;
}

const HOST = /^(?:localhost|[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*)(?::\d{1,5})?$/;
const DIGEST = /^sha256:[0-9a-f]{64}$/;
const RULE = 'imageReference';
const EXPECTED = 'source must be host[:port]/path[:tag] or host[:port]/path@sha256:<64 hex>';

/**
 * Reads `host[:port]/path[:tag][@digest]`. The registry host is required (Docker would
 * read a first component without `.` or `:` as a path on Docker Hub; an import names its
 * registry instead of guessing one). Anything else is a validation error on `source`.
 */
export function parseSourceReference(source: string): SourceReference {
  const at = source.indexOf('@');
  const digest = at >= 0 ? source.slice(at + 1) : undefined;
  const named = at >= 0 ? source.slice(0, at) : source;
  const slash = named.indexOf('/');
  const registry = slash > 0 ? named.slice(0, slash) : '';
  const isHost = HOST.test(registry) && (registry.includes('.') || registry.includes(':') || registry === 'localhost');
  if (!isHost) throw invalid('source', RULE, `${EXPECTED}: '${registry || source}' is not a registry host`);
  const rest = named.slice(slash + 1);
  const colon = rest.lastIndexOf(':');
  const tag = colon > rest.lastIndexOf('/') ? rest.slice(colon + 1) : undefined;
  const repository = tag === undefined ? rest : rest.slice(0, colon);
  if (!REGISTRY_REPOSITORY.test(repository)) {
    throw invalid('source', RULE, `${EXPECTED}: '${repository}' is not a repository name`);
  }
  if (tag !== undefined && !TAG.test(tag)) throw invalid('source', RULE, `${EXPECTED}: '${tag}' is not a tag`);
  if (digest !== undefined && !DIGEST.test(digest)) {
    throw invalid('source', RULE, `${EXPECTED}: '${digest}' is not a sha256 digest`);
  }
  return {
    registry,
    repository,
    ...(tag !== undefined ? { tag } : {}),
    ...(digest !== undefined ? { digest } : {}),
    reference: digest ?? tag ?? 'latest',
  };
}
