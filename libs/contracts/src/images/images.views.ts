import type { RepositoryVisibility } from './images.events';

export interface TagView {
  readonly tag: string;
  readonly digest: string;
  readonly mediaType: string;
  readonly size: number;
  readonly pushedAt: string;
  readonly pushedBy: string;
}

export interface RepositoryView {
  readonly repositoryId: string;
  /** Null for the image market's (`library/…`). */
  readonly tenantId: string | null;
  /** The full name in the registry, `<tenantId>/<name>`. */
  readonly repository: string;
  /** `<registry host>/<repository>`: what `docker pull` takes (add `:<tag>`). */
  readonly reference: string;
  readonly visibility: RepositoryVisibility;
  readonly description: string;
  readonly usageGuide: string;
  readonly tags: readonly TagView[];
  /** Sum of its distinct images' sizes (a layer two of them share is counted in each). */
  readonly storageBytes: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** The tenant's images in the platform registry against its plan's `maxImageStorageMb`. */
export interface StorageUsageView {
  /** Sum of the sizes of its distinct images (by digest). */
  readonly usedBytes: number;
  readonly limitBytes: number;
}

export interface CreatedRepository {
  readonly repositoryId: string;
  readonly repository: string;
}
