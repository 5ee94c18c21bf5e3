import { type Descriptor, blobBytes, isForeignLayer, parseManifest } from './manifest';
import type { FetchedManifest, RegistryClient } from './registry-client';

export interface ImageSource {
  readonly client: RegistryClient;
  readonly repository: string;
  /** A tag or a digest. */
  readonly reference: string;
}

export interface ImageTarget {
  readonly client: RegistryClient;
  readonly repository: string;
  readonly tag: string;
}

export interface CopiedImage {
  /** Of the top manifest: the image's, or the index's for a multi-platform image. */
  readonly digest: string;
  readonly mediaType: string;
  /** Bytes stored: manifests, configs and layers, every platform's for an index. */
  readonly size: number;
}

/** Blob transfers at once: each holds a whole blob in memory (see RegistryClient.getBlob). */
const BLOB_CONCURRENCY = 4;

/**
 * Copies an image into `target` under `tag`: the blobs the target lacks (mounted when
 * both repositories are on one registry, else downloaded and uploaded), then the
 * manifest. For an index, each platform's manifest goes first, as the registry refuses
 * an index whose manifests it does not hold, and a manifest whose blobs it does not hold.
 */
export async function copyImage(source: ImageSource, target: ImageTarget): Promise<CopiedImage> {
  const top = await source.client.getManifest(source.repository, source.reference);
  const size = await copyManifest(source, target, top, target.tag);
  return { digest: top.digest, mediaType: top.mediaType, size };
}

/** What copyImage would report, without copying: the images service stores it when a push is notified. */
export async function imageSize(client: RegistryClient, repository: string, reference: string): Promise<CopiedImage> {
  const top = await client.getManifest(repository, reference);
  const sizeOf = async (manifest: FetchedManifest): Promise<number> => {
    const parsed = parseManifest(manifest.mediaType, manifest.body);
    let size = manifest.body.length + blobBytes(parsed);
    for (const child of parsed.kind === 'index' ? parsed.manifests : []) {
      size += await sizeOf(await client.getManifest(repository, child.digest));
    }
    return size;
  };
  return { digest: top.digest, mediaType: top.mediaType, size: await sizeOf(top) };
}

/**
 * Copies what `manifest` references, then the manifest: under `tag`, or by digest for an
 * index's child. Returns its size as copyImage counts it.
 */
async function copyManifest(
  source: ImageSource,
  target: ImageTarget,
  manifest: FetchedManifest,
  tag: string | undefined,
): Promise<number> {
  // The registry accepts a manifest only once the repository holds all it references, so
  // a manifest already there needs nothing copied: its children are only visited for the size.
  const present = (await target.client.manifestExists(target.repository, manifest.digest)) !== undefined;
  const parsed = parseManifest(manifest.mediaType, manifest.body);
  let size = manifest.body.length + blobBytes(parsed);
  if (parsed.kind === 'image' && !present) {
    const blobs = parsed.blobs.filter((blob) => !isForeignLayer(blob));
    await forEachLimited(blobs, BLOB_CONCURRENCY, (blob) => copyBlob(source, target, blob));
  }
  // one platform at a time: their blobs already run BLOB_CONCURRENCY at once
  for (const child of parsed.kind === 'index' ? parsed.manifests : []) {
    const childManifest = await source.client.getManifest(source.repository, child.digest);
    size += await copyManifest(source, target, childManifest, undefined);
  }
  if (tag !== undefined || !present) {
    await target.client.putManifest(target.repository, tag ?? manifest.digest, manifest.mediaType, manifest.body);
  }
  return size;
}

async function copyBlob(source: ImageSource, target: ImageTarget, blob: Descriptor): Promise<void> {
  if (await target.client.blobExists(target.repository, blob.digest)) return;
  const sameRegistry = source.client === target.client || source.client.url === target.client.url;
  if (sameRegistry && (await target.client.mountBlob(target.repository, blob.digest, source.repository))) return;
  const content = await source.client.getBlob(source.repository, blob.digest);
  await target.client.pushBlob(target.repository, blob.digest, content);
}

/** Runs `task` on every item, at most `limit` at once; after a failure no new task starts, and that failure is thrown. */
async function forEachLimited<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      await task(items[next++]).catch((error: unknown) => {
        failed = true;
        throw error;
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
