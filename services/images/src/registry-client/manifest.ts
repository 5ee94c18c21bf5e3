import { createHash } from 'node:crypto';

export const DOCKER_MANIFEST_V2 = 'application/vnd.docker.distribution.manifest.v2+json';
export const DOCKER_MANIFEST_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
export const DOCKER_MANIFEST_V1_SIGNED = 'application/vnd.docker.distribution.manifest.v1+prettyjws';
export const DOCKER_MANIFEST_V1 = 'application/vnd.docker.distribution.manifest.v1+json';
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';

/**
 * What getManifest accepts. Schema 1 is listed only so a registry that still holds one
 * answers with it rather than a 404; parseManifest refuses it (see there).
 */
export const MANIFEST_MEDIA_TYPES = [
  DOCKER_MANIFEST_V2,
  DOCKER_MANIFEST_LIST,
  OCI_MANIFEST,
  OCI_INDEX,
  DOCKER_MANIFEST_V1_SIGNED,
  DOCKER_MANIFEST_V1,
] as const;

/**
 * Layers that registries do not hold (Windows base layers, OCI non-distributable): their
 * `urls` point elsewhere, so a copy must not try to fetch them.
 */
const FOREIGN_LAYER_MEDIA_TYPES = new Set([
  'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
  'application/vnd.oci.image.layer.nondistributable.v1.tar',
  'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip',
  'application/vnd.oci.image.layer.nondistributable.v1.tar+zstd',
]);

/** Whether a copy should leave the blob out: the registry does not hold it, its `urls` say where it is. */
export function isForeignLayer(blob: Descriptor): boolean {
  return FOREIGN_LAYER_MEDIA_TYPES.has(blob.mediaType);
}

export interface Descriptor {
  readonly mediaType: string;
  readonly digest: string;
  readonly size: number;
}

export type ParsedManifest =
  /** An image: its config and layers, the blobs it needs. */
  | { readonly kind: 'image'; readonly blobs: readonly Descriptor[] }
  /** A manifest list or OCI index: the manifests it points at, one per platform. */
  | { readonly kind: 'index'; readonly manifests: readonly Descriptor[] };

export class UnsupportedManifestError extends Error {}

const DIGEST = /^(sha256:[a-f0-9]{64}|sha384:[a-f0-9]{96}|sha512:[a-f0-9]{128})$/;

/** `sha256:<hex>` of the bytes, as registries name content. */
export function sha256Digest(content: Buffer): string {
  return `sha256:${createHash('sha256').update(content).digest('hex')}`;
}

export function isDigest(reference: string): boolean {
  return DIGEST.test(reference);
}

/** Whether `content` has `digest`; the algorithm is the digest's own (sha256, sha384 or sha512). */
export function matchesDigest(content: Buffer, digest: string): boolean {
  if (!isDigest(digest)) return false;
  const [algorithm, hex] = digest.split(':');
  return createHash(algorithm).update(content).digest('hex') === hex;
}

/**
 * The media type of a fetched manifest: the Content-Type the registry sent, else the
 * body's own `mediaType` (optional in OCI manifests, hence the last resort of telling an
 * index from an image by its fields).
 */
export function manifestMediaType(contentType: string | null | undefined, body: Buffer): string {
  const header = contentType?.split(';')[0].trim().toLowerCase();
  if (header && header !== 'application/json' && header !== 'application/octet-stream') return header;
  const json = parseJson(body);
  if (typeof json.mediaType === 'string') return json.mediaType;
  if (json.schemaVersion === 1) return DOCKER_MANIFEST_V1_SIGNED;
  return Array.isArray(json.manifests) ? OCI_INDEX : OCI_MANIFEST;
}

export function isIndexMediaType(mediaType: string): boolean {
  return mediaType === DOCKER_MANIFEST_LIST || mediaType === OCI_INDEX;
}

/** The manifests (index) or blobs (image) that a manifest references. */
export function parseManifest(mediaType: string, body: Buffer): ParsedManifest {
  const json = parseJson(body);
  if (mediaType === DOCKER_MANIFEST_V1_SIGNED || mediaType === DOCKER_MANIFEST_V1 || json.schemaVersion === 1) {
    // No blob sizes, a signature bound to the source's name, and registry 2.8 refuses
    // schema 1 pushes: such an image can neither be sized nor copied faithfully.
    throw new UnsupportedManifestError('schema 1 manifests are not supported; push the image again with docker ≥ 1.10');
  }
  if (isIndexMediaType(mediaType)) {
    return { kind: 'index', manifests: descriptors(json.manifests, 'manifests') };
  }
  if (mediaType === DOCKER_MANIFEST_V2 || mediaType === OCI_MANIFEST) {
    const config = descriptors([json.config], 'config');
    return { kind: 'image', blobs: [...config, ...descriptors(json.layers ?? [], 'layers')] };
  }
  throw new UnsupportedManifestError(`unsupported manifest media type: ${mediaType}`);
}

/** Bytes the manifest's own blobs take (config and layers); 0 for an index, whose children count separately. */
export function blobBytes(manifest: ParsedManifest): number {
  return manifest.kind === 'image' ? manifest.blobs.reduce((sum, blob) => sum + blob.size, 0) : 0;
}

function descriptors(value: unknown, field: string): Descriptor[] {
  if (!Array.isArray(value)) throw new UnsupportedManifestError(`manifest field ${field} is not a list`);
  return value.map((item: Record<string, unknown> | undefined) => {
    const { mediaType, digest, size } = item ?? {};
    if (typeof digest !== 'string' || !isDigest(digest)) {
      throw new UnsupportedManifestError(`manifest field ${field} holds an invalid digest: ${String(digest)}`);
    }
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
      throw new UnsupportedManifestError(`manifest field ${field} holds an invalid size for ${digest}`);
    }
    return { mediaType: typeof mediaType === 'string' ? mediaType : '', digest, size };
  });
}

function parseJson(body: Buffer): Record<string, unknown> {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    throw new UnsupportedManifestError('manifest is not JSON');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new UnsupportedManifestError('manifest is not a JSON object');
  }
  return json as Record<string, unknown>;
}
